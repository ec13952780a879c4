import { AppError } from '@vigil/core';
import { ROLES, type Role } from './config-db.ts';
import type { Row } from './sql-client.ts';

/**
 * Column readers. Drivers disagree on types (Postgres returns BIGINT as a string to keep
 * precision, SQLite as a number), so every column is read through one of these, which also
 * fails loudly when the schema and the code drift apart.
 */

export function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw drift(column, value);
  return value;
}

export function optionalText(row: Row, column: string): string | undefined {
  const value = row[column];
  if (value === null || value === undefined) return undefined;
  return text(row, column);
}

/** Reads an integer column (Unix milliseconds, counters) that fits in a double. */
export function int(row: Row, column: string): number {
  const value = row[column];
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw drift(column, value);
  return n;
}

export function optionalInt(row: Row, column: string): number | undefined {
  const value = row[column];
  if (value === null || value === undefined) return undefined;
  return int(row, column);
}

/** Reads a role column; the schema's CHECK constraint keeps other values out. */
export function role(row: Row, column: string): Role {
  const value = text(row, column);
  const found = ROLES.find((r) => r === value);
  if (found === undefined) throw drift(column, value);
  return found;
}

/** Reads a text column that holds one of `allowed`, which a CHECK constraint enforces. */
export function oneOf<T extends string>(row: Row, column: string, allowed: readonly T[]): T {
  const value = text(row, column);
  const found = allowed.find((a) => a === value);
  if (found === undefined) throw drift(column, value);
  return found;
}

/** Reads a text column holding JSON the config DB stores without reading (a `body`, a `state`). */
export function json(row: Row, column: string): unknown {
  const value = text(row, column);
  try {
    return JSON.parse(value) as unknown;
  } catch (err) {
    throw new AppError('internal', `config DB column ${column} does not hold JSON`, { cause: err });
  }
}

function drift(column: string, value: unknown): AppError {
  return new AppError('internal', `config DB column ${column} has unexpected value type ${typeof value}`);
}

/**
 * SQL conditions shared by the trace and log stores. Every value is a bound parameter.
 */
import type { Attributes } from '@vigil/spec';
import type { AppError, Outcome } from '@vigil/core';
import { failed, ok, retryable } from '@vigil/core';
import { nsToDateTime64Text } from './encode/timestamp.ts';
import { sql, type Sql } from './sql.ts';
import { isRetryable, toAppError } from './errors.ts';

/** Upper bound on rows a search returns, whatever the caller asks for. */
export const MAX_LIMIT = 10_000;

/** A caller's limit clamped to [1, MAX_LIMIT]. */
export function clampLimit(limit: number): number {
  if (!Number.isFinite(limit)) return 100;
  return Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit)));
}

/**
 * `column` within [fromMs, toMs): half-open, so adjacent windows never count a row twice.
 * The bounds are bound as DateTime64(9), the column's own type: comparing against another
 * time type (DateTime, DateTime64(3)) is where ClickHouse's part pruning has rounded bounds.
 */
export function timeWindow(column: Sql, fromMs: number, toMs: number): Sql {
  return sql`${column} >= ${msToDateTime64(fromMs)} AND ${column} < ${msToDateTime64(toMs)}`;
}

/** Unix milliseconds as a DateTime64(9) parameter (whole milliseconds). */
export function msToDateTime64(ms: number): Sql {
  return sql`${sql.param(nsToDateTime64Text(BigInt(Math.floor(ms)) * 1_000_000n), 'DateTime64(9)')}`;
}

/**
 * Attribute equality on either of two maps. `mapContains` keeps `key = ''` from matching rows
 * that lack the key (a missing key reads as '').
 */
export function attributeConditions(attributes: Attributes, first: Sql, second: Sql): Sql[] {
  return Object.entries(attributes).map(
    ([key, value]) =>
      sql`(mapContains(${first}, ${key}) AND ${first}[${key}] = ${value}) OR (mapContains(${second}, ${key}) AND ${second}[${key}] = ${value})`,
  );
}

/** Nanoseconds as the number the API returns (ClickHouse may send 64-bit integers as strings). */
export function toNumber(value: number | string): number {
  return typeof value === 'number' ? value : Number(value);
}

/**
 * Runs an insert and turns failure into an Outcome: `failed` when ClickHouse cannot parse the
 * batch (it never will), `retryable` otherwise, with a hint to wait when ClickHouse is overloaded.
 */
export async function insertOutcome(what: string, insert: () => Promise<void>): Promise<Outcome> {
  try {
    await insert();
    return ok;
  } catch (err) {
    const appError: AppError = toAppError(err, what);
    if (!isRetryable(appError)) return failed(appError);
    return appError.retryAfterSeconds === undefined
      ? retryable(appError)
      : retryable(appError, appError.retryAfterSeconds * 1000);
  }
}

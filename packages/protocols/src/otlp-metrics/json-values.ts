/**
 * Scalar fields of OTLP/JSON metric points (proto3 JSON mapping): 64-bit integers as decimal
 * strings or JSON numbers, doubles as numbers or "NaN"/"Infinity"/"-Infinity", with the same
 * absent-means-default rule and error paths as otlp/json-fields.ts.
 */
import type { FieldPath } from '../field-path.ts';
import { jsonFail } from '../otlp/json-fields.ts';

const UNSIGNED = /^\d+$/;
const SIGNED = /^-?\d+$/;
const DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const UINT64_MAX = 0xffffffffffffffffn;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

/** A double field; 0 when absent. */
export function jsonDouble(value: unknown, path: FieldPath, leaf: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (value === 'NaN') return NaN;
    if (value === 'Infinity') return Infinity;
    if (value === '-Infinity') return -Infinity;
    if (DECIMAL.test(value)) return Number(value);
  }
  return jsonFail(path, `expected a number, got ${describe(value)}`, leaf);
}

/** A uint64/fixed64 field as a number (rounded above 2^53, as Prometheus's float64 is); 0 when absent. */
export function jsonUint64(value: unknown, path: FieldPath, leaf: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value < 2 ** 64) return value;
  } else if (typeof value === 'string' && UNSIGNED.test(value)) {
    if (value.length < 16 || BigInt(value) <= UINT64_MAX) return Number(value);
  }
  return jsonFail(path, `expected an unsigned 64-bit integer, got ${describe(value)}`, leaf);
}

/** An int64/sfixed64 field as a number; 0 when absent. */
export function jsonInt64(value: unknown, path: FieldPath, leaf: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) <= 2 ** 63) return value;
  } else if (typeof value === 'string' && SIGNED.test(value)) {
    if (value.length < 16 || BigInt.asIntN(64, BigInt(value)) === BigInt(value)) return Number(value);
  }
  return jsonFail(path, `expected a signed 64-bit integer, got ${describe(value)}`, leaf);
}

/** A bool field; false when absent. */
export function jsonBool(value: unknown, path: FieldPath, leaf: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') jsonFail(path, `expected true or false, got ${describe(value)}`, leaf);
  return value;
}

/** A nanosecond timestamp in milliseconds (truncated, exactly); 0 when absent. */
export function jsonNanosToMs(value: unknown, path: FieldPath, leaf: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'string' && UNSIGNED.test(value)) {
    const digits = value.replace(/^0+(?=\d)/, '');
    if (digits.length < 20 || BigInt(digits) <= UINT64_MAX) {
      // Dropping six decimal digits is an exact integer division by 10^6.
      return digits.length <= 6 ? 0 : Number(digits.slice(0, -6));
    }
  } else if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 2 ** 64) {
    return Math.floor(value / 1_000_000);
  }
  return jsonFail(path, `expected an unsigned 64-bit integer, got ${describe(value)}`, leaf);
}

/**
 * Field access and scalar conversion for OTLP/JSON (the proto3 JSON mapping with the OTLP
 * exceptions: trace and span ids are hex, not base64). Every accessor takes the decoder's
 * {@link FieldPath} so that a wrong shape is reported as e.g.
 * `resourceSpans[0].scopeSpans[0].spans[2].traceId: expected 32 hex characters`.
 *
 * Absent and `null` fields read as the proto3 default, as protojson does.
 */
import { DecodeError } from '../decode-error.ts';
import type { FieldPath } from '../field-path.ts';
import { formatDouble } from './any-value-format.ts';
import { isZeroHex, normalizeHexId } from './hex.ts';

export type JsonObject = Record<string, unknown>;

/** Throws a {@link DecodeError} for the field `leaf` under `path`. */
export function jsonFail(path: FieldPath, problem: string, leaf?: string): never {
  throw new DecodeError(problem, { path: path.render(leaf) });
}

/** Parses a request body, turning syntax errors into a {@link DecodeError}. */
export function parseJsonObject(text: string, path: FieldPath): JsonObject {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new DecodeError(`invalid JSON: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  return asObject(doc, path, '') ?? jsonFail(path, 'expected a JSON object, got null');
}

/**
 * Reads a field by its lowerCamelCase name, falling back to the original proto (snake_case)
 * name, which the proto3 JSON mapping says parsers must accept too.
 */
export function field(obj: JsonObject, camel: string, snake: string): unknown {
  const value = obj[camel] ?? obj[snake];
  return value === null ? undefined : value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** An embedded message: undefined when absent, an error when not a JSON object. */
export function asObject(value: unknown, path: FieldPath, leaf: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    jsonFail(path, `expected an object, got ${describe(value)}`, leaf);
  return value as JsonObject;
}

/** An element of a repeated message field: must be a JSON object (null is refused). */
export function requireObject(value: unknown, path: FieldPath): JsonObject {
  return asObject(value, path, '') ?? jsonFail(path, 'expected an object, got null');
}

const EMPTY: readonly unknown[] = [];

/** A repeated field: empty when absent, an error when not a JSON array. */
export function asArray(value: unknown, path: FieldPath, leaf: string): readonly unknown[] {
  if (value === undefined || value === null) return EMPTY;
  if (!Array.isArray(value)) jsonFail(path, `expected an array, got ${describe(value)}`, leaf);
  return value;
}

/** A string field: '' when absent. */
export function asString(value: unknown, path: FieldPath, leaf: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') jsonFail(path, `expected a string, got ${describe(value)}`, leaf);
  return value;
}

const UINT64_MAX = 0xffffffffffffffffn;
const DIGITS = /^\d+$/;

/**
 * A fixed64/uint64 field (timestamps): a decimal string, as the mapping prescribes for 64-bit
 * integers, or a JSON number (exact only up to 2^53, since JSON.parse has already rounded it).
 */
export function asUint64(value: unknown, path: FieldPath, leaf: string): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'string' && DIGITS.test(value)) {
    const n = BigInt(value);
    if (n <= UINT64_MAX) return n;
  } else if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 2 ** 64) {
    return BigInt(value);
  }
  return jsonFail(path, `expected an unsigned 64-bit integer, got ${describe(value)}`, leaf);
}

const INT = /^-?\d+$/;

/**
 * An int64 field in canonical decimal form (e.g. AnyValue.intValue, "007" → "7").
 *
 * A JSON number that is integral but outside int64 is rendered like a double instead of being
 * rejected: the OpenTelemetry JS SDK's JSON encoder sends every integral number as `intValue`
 * (e.g. 1e21), while its protobuf encoder sends the same value as a double, and both bodies
 * should store the same string.
 */
export function asInt64Decimal(value: unknown, path: FieldPath, leaf: string): string {
  if (typeof value === 'number' && Number.isInteger(value)) {
    if (Number.isSafeInteger(value)) return String(value);
    const n = BigInt(value);
    return BigInt.asIntN(64, n) === n ? n.toString() : formatDouble(value);
  }
  if (typeof value === 'string' && INT.test(value)) {
    const n = BigInt(value);
    if (BigInt.asIntN(64, n) === n) return n.toString();
  }
  return jsonFail(path, `expected a signed 64-bit integer, got ${describe(value)}`, leaf);
}

/** A uint32/fixed32 field (flags), as a number or a decimal string. */
export function asUint32(value: unknown, path: FieldPath, leaf: string): number {
  if (value === undefined || value === null) return 0;
  const n = typeof value === 'string' && DIGITS.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    jsonFail(path, `expected an unsigned 32-bit integer, got ${describe(value)}`, leaf);
  }
  return n;
}

/** An enum field: its number, or its proto value name (e.g. "SPAN_KIND_SERVER") from `names`. */
export function asEnum(
  value: unknown,
  names: ReadonlyMap<string, number>,
  path: FieldPath,
  leaf: string,
): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 0x7fffffff) return value;
  if (typeof value === 'string') {
    const n = names.get(value);
    if (n !== undefined) return n;
  }
  return jsonFail(
    path,
    `expected an enum number or one of ${[...names.keys()].join(', ')}, got ${describe(value)}`,
    leaf,
  );
}

/**
 * A trace or span id: hex (either case) of exactly `byteLength` bytes, returned in lowercase;
 * '' when absent or empty. All zeros is an error when `zero` is 'reject', '' when 'empty'
 * (same rules as the protobuf decoder's readId).
 */
export function asHexId(
  value: unknown,
  byteLength: number,
  zero: 'reject' | 'empty',
  path: FieldPath,
  leaf: string,
): string {
  const text = asString(value, path, leaf);
  if (text === '') return '';
  const hex = normalizeHexId(text, byteLength);
  if (hex === undefined) {
    jsonFail(
      path,
      `expected ${byteLength * 2} hex characters (${byteLength} bytes), got ${describe(text)}`,
      leaf,
    );
  }
  if (isZeroHex(hex)) {
    if (zero === 'reject') jsonFail(path, `${leaf} must not be all zeros`, leaf);
    return '';
  }
  return hex;
}

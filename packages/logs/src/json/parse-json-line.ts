/**
 * Structured (JSON) log lines — one object per line, as pino, zap, logrus, bunyan, structlog,
 * logback's JSON encoder and most others write them — turned into a message, a level, a
 * timestamp, trace/span ids and the remaining fields as flat string attributes
 * (`{"http":{"status":500}}` → `http.status = "500"`).
 */
import { levelFromName, type LogLevel } from '../level/detect-level.ts';

export interface ParsedJsonLine {
  /** The message field's text ('' when the object has none). */
  message: string;
  level?: LogLevel;
  /** Every other field, nested objects flattened with dots, values as strings. */
  attributes: Record<string, string>;
  /** Lower-case hex, 32 digits (a 16-digit id is left-padded with zeros). */
  traceId?: string;
  /** Lower-case hex, 16 digits. */
  spanId?: string;
  timestampMs?: number;
}

const MESSAGE_KEYS = ['msg', 'message', 'log', 'text', 'event', '@message', 'body'];
const LEVEL_KEYS = [
  'level',
  'severity',
  'lvl',
  'loglevel',
  'log.level',
  '@level',
  'levelname',
  'severity_text',
];
const TIME_KEYS = ['time', 'timestamp', 'ts', '@timestamp', 't', 'datetime', 'asctime', 'date'];
const TRACE_KEYS = ['trace_id', 'traceId', 'traceid', 'trace.id', 'otelTraceID', 'trace'];
const SPAN_KEYS = ['span_id', 'spanId', 'spanid', 'span.id', 'otelSpanID'];
/** Datadog writes its ids in decimal. */
const DECIMAL_TRACE_KEYS = ['dd.trace_id'];
const DECIMAL_SPAN_KEYS = ['dd.span_id'];
/** Most attributes a line keeps (a huge object must not become thousands of attributes). */
const MAX_ATTRIBUTES = 64;
const MAX_DEPTH = 4;

/** pino/bunyan numeric levels. */
function levelFromNumber(level: number): LogLevel | undefined {
  if (level >= 60) return 'critical';
  if (level >= 50) return 'error';
  if (level >= 40) return 'warning';
  if (level >= 30) return 'info';
  if (level >= 10) return 'debug';
  return undefined;
}

/**
 * Parses a line holding one JSON object; undefined when the line is not one (plain text, an
 * array, a truncated object), so the caller falls back to treating it as text.
 */
export function parseJsonLine(line: string): ParsedJsonLine | undefined {
  const text = line.trim();
  if (text.length < 2 || text.charCodeAt(0) !== 123 || text.charCodeAt(text.length - 1) !== 125)
    return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const flat = new Map<string, unknown>();
  flatten(value, '', flat, 0);
  const result: ParsedJsonLine = { message: '', attributes: {} };
  const messageKey = take(flat, MESSAGE_KEYS, (v) => (typeof v === 'string' ? v : undefined));
  if (messageKey !== undefined) result.message = messageKey;
  const level = take(flat, LEVEL_KEYS, (v) =>
    typeof v === 'string' ? levelFromName(v) : typeof v === 'number' ? levelFromNumber(v) : undefined,
  );
  if (level !== undefined) result.level = level;
  const timestampMs = take(flat, TIME_KEYS, parseTimestampMs);
  if (timestampMs !== undefined) result.timestampMs = timestampMs;
  const traceId =
    take(flat, TRACE_KEYS, (v) => hexId(v, 32)) ?? take(flat, DECIMAL_TRACE_KEYS, (v) => decimalId(v, 32));
  if (traceId !== undefined) result.traceId = traceId;
  const spanId =
    take(flat, SPAN_KEYS, (v) => hexId(v, 16)) ?? take(flat, DECIMAL_SPAN_KEYS, (v) => decimalId(v, 16));
  if (spanId !== undefined) result.spanId = spanId;
  let count = 0;
  for (const [key, v] of flat) {
    if (count++ >= MAX_ATTRIBUTES) break;
    result.attributes[key] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flatten(
  object: Record<string, unknown>,
  prefix: string,
  out: Map<string, unknown>,
  depth: number,
): void {
  for (const [key, value] of Object.entries(object)) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (isRecord(value) && depth < MAX_DEPTH) flatten(value, name, out, depth + 1);
    else if (value !== null && value !== undefined) out.set(name, value);
  }
}

/** Removes and returns the first of `keys` whose value `convert` accepts. */
function take<T>(
  flat: Map<string, unknown>,
  keys: readonly string[],
  convert: (v: unknown) => T | undefined,
): T | undefined {
  for (const key of keys) {
    if (!flat.has(key)) continue;
    const converted = convert(flat.get(key));
    if (converted !== undefined) {
      flat.delete(key);
      return converted;
    }
  }
  return undefined;
}

/** A hex trace/span id, lower-cased and left-padded; undefined if not one (or all zeros). */
function hexId(value: unknown, digits: number): string | undefined {
  if (typeof value !== 'string' || !/^[0-9a-fA-F]+$/.test(value)) return undefined;
  return paddedId(value.toLowerCase(), digits);
}

/** A decimal id (string or number) as hex. */
function decimalId(value: unknown, digits: number): string | undefined {
  if (typeof value === 'string' && /^\d{1,39}$/.test(value))
    return paddedId(BigInt(value).toString(16), digits);
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0)
    return paddedId(value.toString(16), digits);
  return undefined;
}

function paddedId(hex: string, digits: number): string | undefined {
  if (hex.length > digits || /^0+$/.test(hex)) return undefined;
  return hex.padStart(digits, '0');
}

/** ISO 8601 / RFC 3339 strings, or Unix time in s, ms, µs or ns (told apart by magnitude). */
function parseTimestampMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    if (value < 1e11) return Math.round(value * 1000); // seconds (until year 5138)
    if (value < 1e14) return Math.round(value); // milliseconds
    if (value < 1e17) return Math.round(value / 1e3); // microseconds
    return Math.round(value / 1e6); // nanoseconds
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  if (typeof value === 'string' && /^\d{9,19}(?:\.\d+)?$/.test(value)) return parseTimestampMs(Number(value));
  return undefined;
}

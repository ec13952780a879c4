/**
 * The one place where failures from ClickHouse (embedded chDB or a remote server) become
 * `AppError`s. Everything in this package that talks to ClickHouse funnels its errors through
 * {@link toAppError}, so callers branch on `code` and never on ClickHouse's numeric codes.
 */
import { AppError, type ErrorCode } from '@vigil/core';

/**
 * ClickHouse server error codes we classify. Anything else is `internal`: since user text only
 * ever reaches ClickHouse as bound parameters, a syntax or type error is our bug, not the caller's.
 */
const OVERLOADED_CODES = new Set([
  '159', // TIMEOUT_EXCEEDED
  '160', // TOO_SLOW
  '202', // TOO_MANY_SIMULTANEOUS_QUERIES
  '241', // MEMORY_LIMIT_EXCEEDED
  '252', // TOO_MANY_PARTS: inserts outpace merges; backing off is the fix
]);
const UNAVAILABLE_CODES = new Set([
  '210', // NETWORK_ERROR
  '209', // SOCKET_TIMEOUT
  '516', // AUTHENTICATION_FAILED: a deployment problem, not the API client's
  '497', // ACCESS_DENIED: same
]);
const BAD_REQUEST_CODES = new Set([
  '457', // BAD_QUERY_PARAMETER: a bound value could not be parsed as its declared type
]);
/**
 * The rows of an insert cannot be parsed or stored: retrying the same batch can never succeed,
 * so inserts report these as `failed` (mapped to `bad_request`, not exposed to API clients).
 */
const INVALID_DATA_CODES = new Set([
  '6', // CANNOT_PARSE_TEXT
  '16', // NO_SUCH_COLUMN_IN_TABLE
  '26', // CANNOT_PARSE_QUOTED_STRING
  '27', // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  '32', // ATTEMPT_TO_READ_AFTER_EOF: a Native body cut inside a block header or with trailing bytes
  '33', // CANNOT_READ_ALL_DATA
  '38', // CANNOT_PARSE_DATE
  '41', // CANNOT_PARSE_DATETIME
  '53', // TYPE_MISMATCH
  '69', // ARGUMENT_OUT_OF_BOUND
  '72', // CANNOT_PARSE_NUMBER
  '117', // INCORRECT_DATA
  '128', // TOO_LARGE_ARRAY_SIZE: a corrupt Array/Map offset in a Native body
  '130', // CANNOT_READ_ARRAY_FROM_TEXT
  '131', // TOO_LARGE_STRING_SIZE
  '321', // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
  '1001', // STD_EXCEPTION (e.g. invalid UTF-8 in a strict parser)
]);

/** Node socket errors that mean "the server is not reachable right now". */
const NETWORK_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/** A ClickHouse server error as both `@clickhouse/client` and chDB's connection shape it. */
interface ServerErrorShape {
  message: string;
  code: string;
  type?: string;
}

// Three shapes arrive here: `@clickhouse/client`'s ClickHouseError, the copy of that class in
// `@clickhouse/client-common` that chDB's connection throws (so `instanceof` would miss one), and
// chDB's own ChdbError from rawInsert (`code: 'CHDB_INSERT'`, numeric `clickhouseCode`).
function serverError(err: unknown): ServerErrorShape | undefined {
  if (!(err instanceof Error)) return undefined;
  const { code, type, clickhouseCode } = err as { code?: unknown; type?: unknown; clickhouseCode?: unknown };
  const typeName = typeof type === 'string' ? type : undefined;
  if (typeof code === 'string' && /^\d+$/.test(code)) return { message: err.message, code, type: typeName };
  if (typeof clickhouseCode === 'number')
    return { message: err.message, code: String(clickhouseCode), type: typeName };
  return undefined;
}

function errno(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Whether an insert that failed with this error may succeed later. Only a batch ClickHouse
 * cannot parse is hopeless; anything else (unreachable, overloaded, disk full, a table being
 * altered) is worth retrying, since dropping acknowledged data is the worse failure.
 */
export function isRetryable(err: AppError): boolean {
  return err.code !== 'bad_request';
}

/**
 * Maps anything thrown while talking to ClickHouse to an AppError. `what` names the operation
 * (`query otel_logs`, `insert otel_traces`) for the message; the original error is kept as cause.
 */
export function toAppError(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err;
  let code: ErrorCode = 'internal';
  let detail = err instanceof Error ? err.message : String(err);
  const server = serverError(err);
  if (server) {
    if (OVERLOADED_CODES.has(server.code)) code = 'overloaded';
    else if (UNAVAILABLE_CODES.has(server.code)) code = 'unavailable';
    else if (BAD_REQUEST_CODES.has(server.code) || INVALID_DATA_CODES.has(server.code)) code = 'bad_request';
    detail = `ClickHouse ${server.type ?? 'error'} ${server.code}: ${server.message}`;
  } else if (NETWORK_ERRNOS.has(errno(err) ?? '') || /socket hang up|Timeout error/i.test(detail)) {
    code = 'unavailable';
  }
  return new AppError(code, `${what} failed: ${detail.trim()}`, {
    cause: err,
    // Only a bad bound parameter says something useful to the client; the rest may leak schema.
    expose: server !== undefined && BAD_REQUEST_CODES.has(server.code),
    ...(code === 'overloaded' ? { retryAfterSeconds: 5 } : {}),
  });
}

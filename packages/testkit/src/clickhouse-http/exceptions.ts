/**
 * ClickHouse exceptions as the HTTP interface sends them: the status code chosen from the
 * exception (ClickHouse `src/Server/HTTP/exceptionCodeToHTTPStatus.cpp`), the
 * `X-ClickHouse-Exception-Code` header, and a body of the form
 * `Code: 62. DB::Exception: <message>. (SYNTAX_ERROR) (version 26.7.2.1 (…))`.
 */

/** An exception raised by the emulator itself, shaped like the server's own. */
export class ClickHouseException extends Error {
  constructor(
    /** ClickHouse error code, e.g. 516. */
    readonly code: number,
    /** ClickHouse error name, e.g. `AUTHENTICATION_FAILED`. */
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'ClickHouseException';
  }
}

// ClickHouse picks the HTTP status from the error code; these are the same lists, by name, so the
// engine's own errors (which carry their name in the message) map without a code table.
const STATUS_BY_TYPE = new Map<string, number>();
const statusFor = (status: number, types: string): void => {
  for (const type of types.split(/\s+/).filter(Boolean)) STATUS_BY_TYPE.set(type, status);
};
statusFor(401, 'REQUIRED_PASSWORD');
statusFor(403, 'UNKNOWN_USER WRONG_PASSWORD AUTHENTICATION_FAILED SET_NON_GRANTED_ROLE ACCESS_DENIED');
statusFor(
  400,
  `BAD_ARGUMENTS CANNOT_COMPILE_REGEXP CANNOT_PARSE_TEXT CANNOT_PARSE_ESCAPE_SEQUENCE
   CANNOT_PARSE_QUOTED_STRING CANNOT_PARSE_DATE CANNOT_PARSE_DATETIME CANNOT_PARSE_NUMBER
   CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING CANNOT_PARSE_IPV4 CANNOT_PARSE_IPV6
   CANNOT_PARSE_INPUT_ASSERTION_FAILED CANNOT_PARSE_UUID DUPLICATE_COLUMN ILLEGAL_COLUMN
   UNKNOWN_ELEMENT_IN_AST UNKNOWN_TYPE_OF_AST_NODE THERE_IS_NO_COLUMN TOO_DEEP_AST TOO_BIG_AST
   UNEXPECTED_AST_STRUCTURE SYNTAX_ERROR INCORRECT_DATA TYPE_MISMATCH VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE`,
);
statusFor(
  404,
  `UNKNOWN_TABLE UNKNOWN_FUNCTION UNKNOWN_IDENTIFIER UNKNOWN_TYPE UNKNOWN_STORAGE UNKNOWN_DATABASE
   UNKNOWN_SETTING UNKNOWN_DIRECTION_OF_SORTING UNKNOWN_AGGREGATE_FUNCTION UNKNOWN_FORMAT
   UNKNOWN_DATABASE_ENGINE UNKNOWN_TYPE_OF_QUERY UNKNOWN_ROLE`,
);
statusFor(413, 'QUERY_IS_TOO_LARGE');
statusFor(501, 'NOT_IMPLEMENTED');
statusFor(503, 'SOCKET_TIMEOUT CANNOT_OPEN_FILE CANNOT_SCHEDULE_TASK');
statusFor(411, 'HTTP_LENGTH_REQUIRED');
statusFor(408, 'TIMEOUT_EXCEEDED');
statusFor(415, 'UNSUPPORTED_MEDIA_TYPE');

/** The HTTP status ClickHouse answers an exception of this type with (500 when unlisted). */
export function httpStatusForException(type: string): number {
  return STATUS_BY_TYPE.get(type) ?? 500;
}

/** What the error response carries. */
export interface ExceptionResponse {
  status: number;
  code: number;
  body: string;
}

// chDB's messages already read `Code: N. DB::Exception: … (TYPE)`; only the server's version
// suffix is missing.
const ENGINE_MESSAGE_RE = /^Code: (\d+)\. DB::Exception: [\s\S]*\(([A-Z0-9_]+)\)\s*$/;

/**
 * Renders any error thrown while serving a request. Engine errors keep their text (it is the
 * real engine's); anything that is neither an engine nor an emulator exception is reported as
 * ClickHouse reports unexpected C++ exceptions, `STD_EXCEPTION` (1001).
 */
export function exceptionResponse(err: unknown, version: string): ExceptionResponse {
  const suffix = ` (version ${version} (chDB HTTP emulator))\n`;
  if (err instanceof ClickHouseException) {
    const text = `Code: ${err.code}. DB::Exception: ${err.message}. (${err.type})`;
    return { status: httpStatusForException(err.type), code: err.code, body: text + suffix };
  }
  const message = err instanceof Error ? err.message : String(err);
  const match = ENGINE_MESSAGE_RE.exec(message.trim());
  if (match) {
    const [, code, type] = match as unknown as [string, string, string];
    return { status: httpStatusForException(type), code: Number(code), body: message.trim() + suffix };
  }
  const text = `Code: 1001. DB::Exception: ${message}. (STD_EXCEPTION)`;
  return { status: 500, code: 1001, body: text + suffix };
}

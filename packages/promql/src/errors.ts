import { AppError, type ErrorCode } from '@vigil/core';

/**
 * The error classes of Prometheus's query API (`errorType` in its JSON), so an HTTP edge can
 * answer exactly as Prometheus does: `bad_data` (400, parse and type errors), `execution` (422,
 * e.g. many-to-many matching, too many samples), `timeout` and `canceled` (503).
 */
export type PromQLErrorType = 'bad_data' | 'execution' | 'timeout' | 'canceled' | 'internal';

/** Where in the query text a parse error was found (offset 0-based, line and column 1-based). */
export interface QueryPosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

const CODE_BY_TYPE: Record<PromQLErrorType, ErrorCode> = {
  bad_data: 'bad_request',
  execution: 'bad_request',
  timeout: 'unavailable',
  canceled: 'unavailable',
  internal: 'internal',
};

/** Every error the PromQL engine raises on purpose. Messages follow Prometheus's wording. */
export class PromQLError extends AppError {
  readonly type: PromQLErrorType;
  readonly position: QueryPosition | undefined;

  constructor(
    type: PromQLErrorType,
    message: string,
    options: { cause?: unknown; position?: QueryPosition } = {},
  ) {
    super(CODE_BY_TYPE[type], message, { cause: options.cause, expose: type !== 'internal' });
    this.name = 'PromQLError';
    this.type = type;
    this.position = options.position;
  }
}

export function isPromQLError(err: unknown): err is PromQLError {
  return err instanceof PromQLError;
}

/** Converts an offset in `query` to a 1-based line and column, as Prometheus prints them. */
export function positionOf(query: string, offset: number): QueryPosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), query.length);
  for (let i = 0; i < end; i++) {
    if (query.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: end - lineStart + 1 };
}

/** A parse or type error at `offset`, formatted `line:col: parse error: message` like Prometheus. */
export function parseError(query: string, offset: number, message: string): PromQLError {
  const position = positionOf(query, offset);
  return new PromQLError('bad_data', `${position.line}:${position.column}: parse error: ${message}`, {
    position,
  });
}

/** An error raised while evaluating (Prometheus's `execution` errors). */
export function executionError(message: string): PromQLError {
  return new PromQLError('execution', message);
}

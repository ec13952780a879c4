import { AppError } from '@vigil/core';

/** Where in the payload a {@link DecodeError} was detected. */
export interface DecodeErrorLocation {
  /** Field path such as `resourceSpans[0].scopeSpans[1].spans[3].traceId`; '' for the root. */
  path?: string;
  /** Byte offset into a protobuf body; absent for JSON. */
  offset?: number;
  cause?: unknown;
}

/**
 * A telemetry payload that cannot be decoded: truncated or malformed protobuf, JSON that does not
 * parse or has the wrong shape, or a field that breaks an OTLP rule (e.g. a 15-byte trace id).
 * The message names the problem and where it is, and is safe to return to the client, which is
 * the only party that can fix it.
 */
export class DecodeError extends AppError {
  readonly path: string;
  readonly offset: number | undefined;

  constructor(problem: string, location: DecodeErrorLocation = {}) {
    const path = location.path ?? '';
    let message = problem;
    if (path !== '') message += ` at ${path}`;
    if (location.offset !== undefined) message += ` (byte offset ${location.offset})`;
    super('bad_request', message, { cause: location.cause, expose: true });
    this.name = 'DecodeError';
    this.path = path;
    this.offset = location.offset;
  }
}

/** Narrows an unknown thrown value to a {@link DecodeError}. */
export function isDecodeError(err: unknown): err is DecodeError {
  return err instanceof DecodeError;
}

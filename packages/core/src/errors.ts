/**
 * The one error type that crosses package boundaries. `code` is a stable string a caller can
 * branch on; `expose` says whether `message` may be shown to a client (input errors) or must be
 * replaced by a generic text (internal failures). The HTTP/gRPC status is chosen in one edge
 * handler from `code`, never here.
 */
export type ErrorCode =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'overloaded'
  | 'unavailable'
  | 'conflict'
  | 'internal';

export interface AppErrorOptions {
  cause?: unknown;
  /** Whether the message may be shown to the client. Defaults to true for input errors. */
  expose?: boolean;
  /** Seconds a client should wait before retrying (overload). */
  retryAfterSeconds?: number;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly expose: boolean;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.expose = options.expose ?? (code !== 'internal' && code !== 'unavailable');
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

export const badRequest = (message: string, cause?: unknown): AppError =>
  new AppError('bad_request', message, { cause });

export const notFound = (message: string): AppError => new AppError('not_found', message);

/** Renders any thrown value as a short string for logs. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

import { isAppError, type ErrorCode } from '@vigil/core';

const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  overloaded: 429,
  internal: 500,
  unavailable: 503,
};

/** gRPC status codes (grpc/status.h) for the same error codes. */
const GRPC_STATUS: Record<ErrorCode, number> = {
  bad_request: 3, // INVALID_ARGUMENT
  unauthenticated: 16,
  forbidden: 7, // PERMISSION_DENIED
  not_found: 5,
  conflict: 6, // ALREADY_EXISTS
  payload_too_large: 8, // RESOURCE_EXHAUSTED
  unsupported_media_type: 3,
  overloaded: 8, // RESOURCE_EXHAUSTED
  internal: 13,
  unavailable: 14,
};

export interface MappedError {
  httpStatus: number;
  grpcStatus: number;
  code: ErrorCode;
  /** Safe to show to the client. */
  message: string;
  retryAfterSeconds: number | undefined;
}

/**
 * The one place where errors become wire statuses. Errors we did not raise on purpose become 500
 * with a generic message; their details go to the log, not to the client.
 */
export function mapError(err: unknown): MappedError {
  if (isAppError(err)) {
    return {
      httpStatus: HTTP_STATUS[err.code],
      grpcStatus: GRPC_STATUS[err.code],
      code: err.code,
      message: err.expose ? err.message : 'internal error',
      retryAfterSeconds: err.retryAfterSeconds,
    };
  }
  const fastifyStatus = (err as { statusCode?: number }).statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    const code: ErrorCode =
      fastifyStatus === 413
        ? 'payload_too_large'
        : fastifyStatus === 415
          ? 'unsupported_media_type'
          : 'bad_request';
    return {
      httpStatus: fastifyStatus,
      grpcStatus: GRPC_STATUS[code],
      code,
      message: (err as Error).message,
      retryAfterSeconds: undefined,
    };
  }
  return {
    httpStatus: 500,
    grpcStatus: 13,
    code: 'internal',
    message: 'internal error',
    retryAfterSeconds: undefined,
  };
}

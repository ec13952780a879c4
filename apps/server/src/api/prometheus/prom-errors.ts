import { AppError } from '@vigil/core';
import { isPromQLError } from '@vigil/promql';

/** `errorType` values of Prometheus's API and the HTTP status it answers them with. */
export type PromErrorType =
  'bad_data' | 'execution' | 'timeout' | 'canceled' | 'internal' | 'unavailable' | 'not_found';

const STATUS: Record<PromErrorType, number> = {
  bad_data: 400,
  execution: 422,
  canceled: 503,
  timeout: 503,
  internal: 500,
  unavailable: 503,
  not_found: 404,
};

/** An error answered in Prometheus's shape: `{status:"error", errorType, error}`. */
export class PromApiError extends Error {
  constructor(
    readonly type: PromErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'PromApiError';
  }
}

/** Maps anything thrown by a handler to Prometheus's error type, status and message. */
export function promError(err: unknown): { status: number; type: PromErrorType; message: string } {
  if (err instanceof PromApiError) return { status: STATUS[err.type], type: err.type, message: err.message };
  if (isPromQLError(err)) {
    const type: PromErrorType = err.type;
    return { status: STATUS[type], type, message: type === 'internal' ? 'internal error' : err.message };
  }
  if (err instanceof AppError) {
    const byCode: Partial<Record<string, PromErrorType>> = {
      bad_request: 'bad_data',
      unavailable: 'unavailable',
      not_found: 'not_found',
    };
    if (err.code === 'unauthenticated') return { status: 401, type: 'bad_data', message: err.message };
    if (err.code === 'forbidden') return { status: 403, type: 'bad_data', message: err.message };
    const type = byCode[err.code];
    if (type) return { status: STATUS[type], type, message: err.message };
  }
  return { status: 500, type: 'internal', message: 'internal error' };
}

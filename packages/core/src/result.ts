/**
 * Outcome of a pipeline step (insert a batch, push to a server). Expected failures are values,
 * not exceptions, so callers decide between retrying and dropping explicitly.
 */
export type Outcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'retryable'; readonly error: Error; readonly retryAfterMs?: number }
  | { readonly kind: 'failed'; readonly error: Error };

export const ok: Outcome = Object.freeze({ kind: 'ok' });

export const retryable = (error: Error, retryAfterMs?: number): Outcome =>
  retryAfterMs === undefined ? { kind: 'retryable', error } : { kind: 'retryable', error, retryAfterMs };

export const failed = (error: Error): Outcome => ({ kind: 'failed', error });

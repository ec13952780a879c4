/** The collection deadline as the SQL collectors' connections see it. */

/** Raised when the collection's signal fired before the server answered. */
export class AbortedError extends Error {
  constructor(reason: unknown) {
    super(`aborted at the deadline: ${reason instanceof Error ? reason.message : String(reason)}`);
    this.name = 'AbortedError';
  }
}

export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Settles with `work`, or rejects with AbortedError when `signal` fires first, after `onAbort`
 * (which drops the connection, so the work cannot finish later on a connection reused).
 * `onError` sees a failure of the work before it is passed on.
 */
export function abortable<T>(
  work: Promise<T>,
  signal: AbortSignal,
  onAbort: () => void,
  onError: (err: unknown) => void = () => undefined,
): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    onAbort();
    return Promise.reject(new AbortedError(signal.reason));
  }
  return new Promise<T>((resolve, reject) => {
    const aborted = (): void => {
      onAbort();
      reject(new AbortedError(signal.reason));
    };
    signal.addEventListener('abort', aborted, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', aborted);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', aborted);
        onError(err);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

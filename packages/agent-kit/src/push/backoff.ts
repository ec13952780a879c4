/**
 * How long the sender waits before trying again after a failure.
 *
 * Exponential with "equal jitter": the n-th consecutive failure waits between half and all of
 * `min(maxMs, initialMs · 2^(n-1))`, so agents that lost the server together do not come back
 * in lockstep, and a wait never shrinks below half its nominal length.
 *
 * ```
 * failure   1     2     3     4     5     6 …
 * nominal   1 s   2 s   4 s   8 s   16 s  30 s (max)
 * waited    ½–1   1–2   2–4   4–8   8–16  15–30
 * ```
 */
import { badRequest } from '@vigil/core';

export interface BackoffOptions {
  /** Nominal wait after the first failure (default 1 s). */
  readonly initialMs?: number;
  /** Longest wait, also the cap on a server's Retry-After (default 30 s). */
  readonly maxMs?: number;
}

export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1000, maxMs: 30_000 };

/** The options with defaults filled in; throws on a non-positive or inverted range. */
export function backoffPolicy(options: BackoffOptions = {}): BackoffPolicy {
  const initialMs = options.initialMs ?? DEFAULT_BACKOFF.initialMs;
  const maxMs = options.maxMs ?? Math.max(DEFAULT_BACKOFF.maxMs, initialMs);
  if (!(initialMs > 0) || !(maxMs >= initialMs)) {
    throw badRequest(`backoff needs 0 < initialMs <= maxMs, got initialMs=${initialMs} maxMs=${maxMs}`);
  }
  return { initialMs, maxMs };
}

/**
 * The wait after `failures` consecutive failures (1 = the first). `random` returns [0, 1).
 */
export function backoffDelayMs(
  failures: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  // The exponent is capped so 2^n stays finite after a very long outage.
  const nominal = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(Math.max(failures - 1, 0), 52));
  return Math.round(nominal / 2 + (random() * nominal) / 2);
}

/**
 * A `Retry-After` header as milliseconds from now: delay-seconds (`120`) or an HTTP date
 * (`Wed, 21 Oct 2015 07:28:00 GMT`). Undefined when absent or unreadable; a past date gives 0.
 */
export function parseRetryAfterMs(
  header: string | null | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Date.parse reads almost anything ("1.5" is a date in 2001); only the HTTP form is taken.
  const dateMs = /GMT$/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, dateMs - nowMs);
}

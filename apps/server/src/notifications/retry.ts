import { setTimeout as sleep } from 'node:timers/promises';
import { errorMessage, type Outcome } from '@vigil/core';

/** How deliveries are retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Delay before the first retry; doubles (× `multiplier`) per retry. */
  initialDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
  /** A Retry-After longer than this gives up instead of holding the delivery (and shutdown). */
  maxRetryAfterMs: number;
}

/** 5 attempts over about 15 s (1 + 2 + 4 + 8 s, with jitter). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  multiplier: 2,
  maxRetryAfterMs: 5 * 60_000,
};

/** The final result of a delivery after its retries. */
export type DeliveryResult = { ok: true; attempts: number } | { ok: false; attempts: number; error: string };

/**
 * The delay before retry number `retry` (1-based): exponential, capped, with "equal jitter"
 * (between half and all of it), so receivers recovering from an outage are not hit by every
 * Vigil server at the same instant, yet the delay never collapses to nothing.
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const full = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (retry - 1));
  return full / 2 + (full / 2) * random();
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the attempts run out. Waits at least the
 * receiver's Retry-After. Never rejects: an attempt that throws counts as a permanent failure,
 * and an aborted `signal` (shutdown) ends the wait with the last error.
 */
export async function withRetries(
  attempt: () => Promise<Outcome>,
  policy: RetryPolicy,
  signal: AbortSignal,
  random: () => number = Math.random,
): Promise<DeliveryResult> {
  for (let attempts = 1; ; attempts++) {
    let outcome: Outcome;
    try {
      outcome = await attempt();
    } catch (err) {
      outcome = { kind: 'failed', error: err instanceof Error ? err : new Error(errorMessage(err)) };
    }
    if (outcome.kind === 'ok') return { ok: true, attempts };
    const message = outcome.error.message;
    if (outcome.kind === 'failed') return { ok: false, attempts, error: message };
    if (attempts >= policy.maxAttempts) {
      return {
        ok: false,
        attempts,
        error: attempts === 1 ? message : `gave up after ${attempts} attempts: ${message}`,
      };
    }
    const retryAfterMs = outcome.retryAfterMs ?? 0;
    if (retryAfterMs > policy.maxRetryAfterMs) {
      return {
        ok: false,
        attempts,
        error: `the receiver asked to retry after ${Math.ceil(retryAfterMs / 1000)} s, longer than the ${Math.ceil(policy.maxRetryAfterMs / 1000)} s a notification waits: ${message}`,
      };
    }
    const delayMs = Math.max(retryAfterMs, backoffDelayMs(attempts, policy, random));
    try {
      await sleep(delayMs, undefined, { signal });
    } catch {
      return { ok: false, attempts, error: `cancelled by shutdown before retrying: ${message}` };
    }
  }
}

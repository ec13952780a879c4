/**
 * `pg_latency_seconds` from pg_stat_statements deltas.
 *
 * pg_stat_statements keeps no per-call durations, only sums per statement, so only `avg` is
 * exact (all time / all calls in the interval). The quantiles and `max` are an approximation:
 * every call of a statement is taken to have lasted that statement's mean over the interval, and
 * the quantile is read from those means weighted by calls. `max` is the largest mean, a lower
 * bound of the slowest call. A statement whose calls vary a lot (a fast lookup that sometimes
 * waits on a lock) hides its slow calls in its mean, so the tail quantiles tend to be too low.
 *
 *   statement  calls  mean      cumulative share of calls
 *   A          90     1 ms      0.90   → p50, p75 = 1 ms
 *   B          9      10 ms     0.99   → p95, p99 = 10 ms
 *   C          1      500 ms    1.00   → max = 500 ms
 */
import type { StatementDelta } from './statements.ts';

export const LATENCY_QUANTILES = [
  ['p50', 0.5],
  ['p75', 0.75],
  ['p95', 0.95],
  ['p99', 0.99],
] as const;

export type LatencySummaryName = 'avg' | 'max' | (typeof LATENCY_QUANTILES)[number][0];

/** Seconds by summary name; empty when nothing was called in the interval. */
export function latencySummary(deltas: readonly StatementDelta[]): Map<LatencySummaryName, number> {
  const out = new Map<LatencySummaryName, number>();
  const called = deltas.filter((d) => d.calls > 0);
  const totalCalls = called.reduce((sum, d) => sum + d.calls, 0);
  if (totalCalls === 0) return out;
  const totalTimeMs = called.reduce((sum, d) => sum + d.timeMs, 0);
  out.set('avg', totalTimeMs / totalCalls / 1000);

  const means = called
    .map((d) => ({ meanMs: d.timeMs / d.calls, calls: d.calls }))
    .sort((a, b) => a.meanMs - b.meanMs);
  for (const [name, q] of LATENCY_QUANTILES) {
    const rank = q * totalCalls;
    let cumulative = 0;
    for (const m of means) {
      cumulative += m.calls;
      if (cumulative >= rank) {
        out.set(name, m.meanMs / 1000);
        break;
      }
    }
  }
  const last = means[means.length - 1];
  if (last !== undefined) out.set('max', last.meanMs / 1000);
  return out;
}

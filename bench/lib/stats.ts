/** Latency summaries for benchmarks: nearest-rank percentiles over the measured samples. */

export interface LatencySummary {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  meanMs: number;
}

/** Nearest-rank percentile (p in (0, 100]) of an ascending list; NaN when empty. */
export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sortedMs.length);
  return sortedMs[Math.min(sortedMs.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samplesMs: readonly number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    samples: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    maxMs: round(sorted[sorted.length - 1] ?? NaN),
    meanMs: round(sorted.length ? sum / sorted.length : NaN),
  };
}

/** Milliseconds to 0.1 ms: finer digits are noise at these scales. */
export function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** Wall time of `fn` in ms, with its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const t0 = performance.now();
  const result = await fn();
  return { ms: performance.now() - t0, result };
}

/** `p50 p95 max` right-aligned, for the benchmarks' tables. */
export function latencyColumns(s: LatencySummary): string {
  return [s.p50Ms, s.p95Ms, s.maxMs].map((v) => v.toFixed(1).padStart(8)).join(' ');
}

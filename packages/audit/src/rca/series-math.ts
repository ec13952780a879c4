/**
 * Derived series for candidates: error ratios and latency quantiles of L7 traffic (through the
 * model's own L7 helpers, so "failed" means the same here as in the SLO and inspections), gaps
 * filled for event counts, per-second rates of change and shares of a limit. Every function
 * keeps the input grid and yields NaN where the inputs say nothing.
 */
import {
  divideSeries,
  hasData,
  histogramQuantile,
  mapSeries,
  mergeL7Stats,
  requestTotals,
  type L7Stats,
  type TimeGrid,
  type TimeSeries,
} from '@vigil/model';

/** Failed requests as a percentage of all requests, over several stats; NaN where there were none. */
export function errorRatePercent(grid: TimeGrid, stats: readonly L7Stats[]): TimeSeries {
  const { total, failed } = requestTotals(grid, mergeL7Stats(grid, stats));
  // No failed series at all means "no errors" wherever there was traffic, not "no data".
  return mapSeries(total, (t, i) => {
    const f = failed.values[i]!;
    return t > 0 ? (100 * (Number.isNaN(f) ? 0 : f)) / t : NaN;
  });
}

/** The p95 latency of several stats' merged histograms, seconds; NaN without requests. */
export function latencyP95(grid: TimeGrid, stats: readonly L7Stats[]): TimeSeries {
  return histogramQuantile(grid, mergeL7Stats(grid, stats).histogram, 0.95);
}

/**
 * NaN → 0, for counts of events where a missing series means none happened (a log pattern not
 * yet seen, a failed-connects counter Prometheus creates on the first failure): otherwise a new
 * pattern would have no baseline and could never look anomalous.
 */
export function zeroFill(s: TimeSeries): TimeSeries {
  return mapSeries(s, (v) => (Number.isNaN(v) ? 0 : v));
}

/** A gauge's change per second between consecutive defined points (bytes → bytes/s). */
export function perSecondChange(gauge: TimeSeries): TimeSeries {
  let prev = NaN;
  let prevIndex = -1;
  return mapSeries(gauge, (v, i) => {
    if (Number.isNaN(v)) return NaN;
    const rate = prevIndex < 0 ? NaN : (v - prev) / (((i - prevIndex) * gauge.grid.stepMs) / 1000);
    prev = v;
    prevIndex = i;
    return rate;
  });
}

/** `a / b × 100`, or null when `b` has no data (no limit set): callers fall back to `a`. */
export function percentOf(a: TimeSeries, b: TimeSeries): TimeSeries | null {
  if (!hasData(b)) return null;
  return mapSeries(divideSeries(a, b), (v) => v * 100);
}

/**
 * The sum over a trailing window of `windowMs` at every point (gaps count as 0): events that come
 * once every few steps — an OOM kill every ten minutes — read as a sustained level.
 */
export function trailingSum(s: TimeSeries, windowMs: number): TimeSeries {
  const n = Math.max(1, Math.round(windowMs / s.grid.stepMs));
  let sum = 0;
  return mapSeries(s, (v, i) => {
    sum += Number.isNaN(v) ? 0 : v;
    if (i >= n) {
      const old = s.values[i - n]!;
      sum -= Number.isNaN(old) ? 0 : old;
    }
    return sum;
  });
}

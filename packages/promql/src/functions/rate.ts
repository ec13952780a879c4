import type { RangeWindow } from './window.ts';

/**
 * rate, increase and delta: the change over the window, corrected for counter resets and
 * extrapolated towards the window's edges, following Prometheus 2.42's extrapolatedRate:
 *
 *   rangeStart        first sample ... last sample        rangeEnd
 *       |<-durationToStart->|<------ sampledInterval ----->|<-durationToEnd->|
 *
 * Each side is extrapolated all the way to the edge when the gap is below 1.1 times the
 * average sample spacing, otherwise by half a spacing; a counter is never extrapolated below
 * zero. Windows (both ends inclusive in 2.x) with fewer than two samples give no result.
 */
export function extrapolatedRate(w: RangeWindow, isCounter: boolean, isRate: boolean): number | null {
  const { ts, vs, lo, hi } = w;
  const count = hi - lo;
  if (count < 2) return null;
  const first = vs[lo]!;
  const last = vs[hi - 1]!;
  let result = last - first;
  if (isCounter) {
    let prev = first;
    for (let i = lo + 1; i < hi; i++) {
      const cur = vs[i]!;
      if (cur < prev) result += prev;
      prev = cur;
    }
  }
  let durationToStart = (ts[lo]! - w.rangeStartMs) / 1000;
  const durationToEnd = (w.rangeEndMs - ts[hi - 1]!) / 1000;
  const sampledInterval = (ts[hi - 1]! - ts[lo]!) / 1000;
  const averageDurationBetweenSamples = sampledInterval / (count - 1);

  if (isCounter && result > 0 && first >= 0) {
    const durationToZero = sampledInterval * (first / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }

  const threshold = averageDurationBetweenSamples * 1.1;
  let extrapolateToInterval = sampledInterval;
  extrapolateToInterval += durationToStart < threshold ? durationToStart : averageDurationBetweenSamples / 2;
  extrapolateToInterval += durationToEnd < threshold ? durationToEnd : averageDurationBetweenSamples / 2;
  let factor = extrapolateToInterval / sampledInterval;
  if (isRate) factor /= w.rangeMs / 1000;
  return result * factor;
}

/** irate and idelta: from the last two samples only. */
export function instantValue(w: RangeWindow, isRate: boolean): number | null {
  const { ts, vs, hi } = w;
  if (hi - w.lo < 2) return null;
  const last = vs[hi - 1]!;
  const previous = vs[hi - 2]!;
  const result = isRate && last < previous ? last : last - previous;
  const sampledIntervalMs = ts[hi - 1]! - ts[hi - 2]!;
  if (sampledIntervalMs === 0) return null;
  return isRate ? result / (sampledIntervalMs / 1000) : result;
}

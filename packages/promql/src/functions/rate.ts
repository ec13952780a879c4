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
  let result = vs[hi - 1]! - first;
  if (isCounter) {
    let prev = first;
    for (let i = lo + 1; i < hi; i++) {
      const cur = vs[i]!;
      if (cur < prev) result += prev;
      prev = cur;
    }
  }
  return extrapolate(result, first, count, ts[lo]!, ts[hi - 1]!, w, isCounter, isRate);
}

/**
 * The second half of extrapolatedRate, shared with the window-summary path: `result` is
 * last - first plus, for counters, the value before each drop, added in time order.
 */
export function extrapolate(
  result: number,
  first: number,
  count: number,
  firstT: number,
  lastT: number,
  w: Pick<RangeWindow, 'rangeStartMs' | 'rangeEndMs' | 'rangeMs'>,
  isCounter: boolean,
  isRate: boolean,
): number {
  let durationToStart = (firstT - w.rangeStartMs) / 1000;
  const durationToEnd = (w.rangeEndMs - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
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
  return lastTwo(ts[hi - 2]!, vs[hi - 2]!, ts[hi - 1]!, vs[hi - 1]!, isRate);
}

/** irate/idelta from the two newest samples (shared with the window-summary path). */
export function lastTwo(
  prevT: number,
  previous: number,
  lastT: number,
  last: number,
  isRate: boolean,
): number | null {
  const result = isRate && last < previous ? last : last - previous;
  const sampledIntervalMs = lastT - prevT;
  if (sampledIntervalMs === 0) return null;
  return isRate ? result / (sampledIntervalMs / 1000) : result;
}

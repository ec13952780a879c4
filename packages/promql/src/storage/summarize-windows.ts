import type { SeriesData, SeriesWindows, WindowRequest } from '../model/series-source.ts';

/**
 * Builds the window summaries of one series from its raw samples, the way a store that
 * implements `selectWindows` must: the reference the SQL implementation is tested against, and
 * what {@link MemorySeriesSource} serves. Samples must be sorted by time; staleness markers
 * (staleIndexes) are skipped, except that with `instant` among the request's functions each
 * window says whether a marker followed its newest value (`lastStale`); of samples sharing a
 * timestamp the first is kept.
 */
export function summarizeWindows(series: SeriesData, request: WindowRequest): SeriesWindows | undefined {
  const { firstEndMs, stepMs, steps, rangeMs } = request;
  const stale = new Set(series.staleIndexes ?? []);
  const ts: number[] = [];
  const vs: number[] = [];
  const markers: number[] = [];
  for (let i = 0; i < series.timestampsMs.length; i++) {
    const t = series.timestampsMs[i]!;
    if (stale.has(i)) {
      markers.push(t);
      continue;
    }
    if (ts.length > 0 && ts[ts.length - 1] === t) continue;
    ts.push(t);
    vs.push(series.values[i]!);
  }
  const withStale = request.functions?.includes('instant') === true;
  const out = {
    labels: series.labels,
    step: [] as number[],
    count: [] as number[],
    firstT: [] as number[],
    firstV: [] as number[],
    lastT: [] as number[],
    lastV: [] as number[],
    prevT: [] as number[],
    prevV: [] as number[],
    min: [] as number[],
    max: [] as number[],
    resets: [] as (number[] | undefined)[],
    lastStale: [] as number[],
  };
  let marker = 0;
  let lo = 0;
  let hi = 0;
  for (let k = 0; k < steps; k++) {
    const end = firstEndMs + k * stepMs;
    while (lo < ts.length && ts[lo]! < end - rangeMs) lo++;
    if (hi < lo) hi = lo;
    while (hi < ts.length && ts[hi]! <= end) hi++;
    if (hi <= lo) continue;
    let min = NaN;
    let max = NaN;
    let resets: number[] | undefined;
    for (let i = lo; i < hi; i++) {
      const v = vs[i]!;
      if (!(v >= min)) min = Number.isNaN(v) ? min : v;
      if (!(v <= max)) max = Number.isNaN(v) ? max : v;
      if (i > lo && v < vs[i - 1]!) (resets ??= []).push(vs[i - 1]!);
    }
    out.step.push(k);
    out.count.push(hi - lo);
    out.firstT.push(ts[lo]!);
    out.firstV.push(vs[lo]!);
    out.lastT.push(ts[hi - 1]!);
    out.lastV.push(vs[hi - 1]!);
    out.prevT.push(hi - lo > 1 ? ts[hi - 2]! : NaN);
    out.prevV.push(hi - lo > 1 ? vs[hi - 2]! : NaN);
    out.min.push(min);
    out.max.push(max);
    out.resets.push(resets);
    // The newest marker at or before the window's end: stale when it follows the last value.
    while (marker < markers.length && markers[marker]! <= end) marker++;
    out.lastStale.push(marker > 0 && markers[marker - 1]! > ts[hi - 1]! ? 1 : 0);
  }
  if (out.step.length === 0) return undefined;
  if (!withStale) {
    const { lastStale: _unused, ...rest } = out;
    return rest;
  }
  return out;
}

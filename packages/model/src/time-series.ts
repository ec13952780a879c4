/**
 * Values on a fixed time grid: the model's one representation of a metric over the window it
 * was built for. `values[i]` is the value at `fromMs + i * stepMs`; NaN where there was no data.
 * Every series of one world shares the world's grid, so combining two series is index by index.
 */

export interface TimeGrid {
  /** First point, Unix ms. */
  readonly fromMs: number;
  readonly stepMs: number;
  /** Number of points. */
  readonly points: number;
}

export interface TimeSeries {
  readonly grid: TimeGrid;
  readonly values: Float64Array;
}

/** A grid from `fromMs` through `toMs` inclusive, both aligned down to `stepMs`. */
export function gridFor(fromMs: number, toMs: number, stepMs: number): TimeGrid {
  if (!(stepMs > 0) || toMs < fromMs) throw new RangeError('grid needs step > 0 and to ≥ from');
  const first = Math.ceil(fromMs / stepMs) * stepMs;
  const last = Math.floor(toMs / stepMs) * stepMs;
  return { fromMs: first, stepMs, points: Math.max(0, Math.floor((last - first) / stepMs) + 1) };
}

/** The time of point `i`. */
export function timeAt(grid: TimeGrid, i: number): number {
  return grid.fromMs + i * grid.stepMs;
}

/** Index of the point at or before `tMs` (clamped to the grid), -1 when before the grid. */
export function indexAt(grid: TimeGrid, tMs: number): number {
  if (tMs < grid.fromMs) return -1;
  return Math.min(grid.points - 1, Math.floor((tMs - grid.fromMs) / grid.stepMs));
}

/**
 * Values come out of shared slabs of 1 Mi doubles: a world holds a million series of a few hundred
 * points, and one ArrayBuffer each cost more than everything else in building it (bench/model:
 * a quarter of the time in allocation, another quarter in the collector tracking the buffers). A
 * slab is freed when no series cut from it is left.
 */
const SLAB_DOUBLES = 1 << 20;
let slab = new Float64Array(0);
let slabUsed = 0;

/** A zeroed run of `n` doubles, a view into the current slab. */
export function allocValues(n: number): Float64Array {
  if (n > SLAB_DOUBLES / 8) return new Float64Array(n);
  if (slabUsed + n > slab.length) {
    slab = new Float64Array(SLAB_DOUBLES);
    slabUsed = 0;
  }
  const view = slab.subarray(slabUsed, slabUsed + n);
  slabUsed += n;
  return view;
}

export function emptySeries(grid: TimeGrid): TimeSeries {
  return { grid, values: allocValues(grid.points).fill(NaN) };
}

export function constantSeries(grid: TimeGrid, value: number): TimeSeries {
  return { grid, values: allocValues(grid.points).fill(value) };
}

/** Places (time, value) pairs on the grid; times off the grid are dropped. */
export function seriesFromPoints(
  grid: TimeGrid,
  timestampsMs: readonly number[],
  values: readonly number[],
): TimeSeries {
  const out = emptySeries(grid);
  for (let k = 0; k < timestampsMs.length; k++) {
    const offset = timestampsMs[k]! - grid.fromMs;
    if (offset < 0 || offset % grid.stepMs !== 0) continue;
    const i = offset / grid.stepMs;
    if (i < grid.points) out.values[i] = values[k]!;
  }
  return out;
}

/** Folds several series point by point, skipping NaN; NaN only where every input is NaN. */
function foldSeries(
  grid: TimeGrid,
  series: readonly TimeSeries[],
  fold: (acc: number, v: number) => number,
): TimeSeries {
  // Series are never written after they are built: one input is its own sum (and max).
  if (series.length === 1 && series[0]!.grid.points === grid.points) return series[0]!;
  const out = emptySeries(grid);
  for (const s of series) {
    for (let i = 0; i < grid.points; i++) {
      const v = s.values[i]!;
      if (Number.isNaN(v)) continue;
      const o = out.values[i]!;
      out.values[i] = Number.isNaN(o) ? v : fold(o, v);
    }
  }
  return out;
}

/** Point-wise sum; NaN only where every input is NaN. Empty input → all NaN. */
export function sumSeries(grid: TimeGrid, series: readonly TimeSeries[]): TimeSeries {
  return foldSeries(grid, series, (a, b) => a + b);
}

/** Point-wise maximum; NaN only where every input is NaN. */
export function maxSeries(grid: TimeGrid, series: readonly TimeSeries[]): TimeSeries {
  return foldSeries(grid, series, (a, b) => (b > a ? b : a));
}

/** `f(a[i], b[i])` point by point (NaN in, NaN out is up to `f`). */
export function combine(a: TimeSeries, b: TimeSeries, f: (x: number, y: number) => number): TimeSeries {
  const values = allocValues(a.grid.points);
  for (let i = 0; i < values.length; i++) values[i] = f(a.values[i]!, b.values[i]!);
  return { grid: a.grid, values };
}

/** `f(a[i])` point by point. */
export function mapSeries(a: TimeSeries, f: (x: number, i: number) => number): TimeSeries {
  const values = allocValues(a.grid.points);
  for (let i = 0; i < values.length; i++) values[i] = f(a.values[i]!, i);
  return { grid: a.grid, values };
}

/** a / b, NaN where b is 0 or either is NaN. */
export function divideSeries(a: TimeSeries, b: TimeSeries): TimeSeries {
  return combine(a, b, (x, y) => (y === 0 ? NaN : x / y));
}

/** Summary statistics over the defined points of `[fromIndex, toIndex)` (default: all). */
export interface SeriesStats {
  readonly count: number;
  readonly sum: number;
  readonly mean: number;
  readonly max: number;
  readonly min: number;
  /** Last defined value, NaN when none. */
  readonly last: number;
}

export function seriesStats(s: TimeSeries, fromIndex = 0, toIndex = s.grid.points): SeriesStats {
  let count = 0;
  let sum = 0;
  let max = -Infinity;
  let min = Infinity;
  let last = NaN;
  for (let i = Math.max(0, fromIndex); i < Math.min(toIndex, s.grid.points); i++) {
    const v = s.values[i]!;
    if (Number.isNaN(v)) continue;
    count++;
    sum += v;
    if (v > max) max = v;
    if (v < min) min = v;
    last = v;
  }
  return {
    count,
    sum,
    mean: count === 0 ? NaN : sum / count,
    max: count === 0 ? NaN : max,
    min: count === 0 ? NaN : min,
    last,
  };
}

/**
 * The last defined value within `ms` of the grid's end, NaN when there is none: "now" for a
 * series whose newest points may not be evaluated yet (the cache runs a step or two behind).
 */
export function recentValue(s: TimeSeries, ms: number): number {
  const points = Math.max(1, Math.ceil(ms / s.grid.stepMs));
  for (let i = s.values.length - 1; i >= Math.max(0, s.values.length - points); i--) {
    const v = s.values[i]!;
    if (!Number.isNaN(v)) return v;
  }
  return NaN;
}

/** Whether any point is defined. */
export function hasData(s: TimeSeries): boolean {
  for (const v of s.values) if (!Number.isNaN(v)) return true;
  return false;
}

/**
 * The increase of a counter cached raw (e.g. `container_restarts_total % 1e7`) over the window:
 * the sum of positive steps between consecutive defined points; a drop (counter reset, a new
 * container) counts the new value as the increase, as Prometheus's `increase` does.
 */
export function counterIncrease(s: TimeSeries, fromIndex = 0, toIndex = s.grid.points): number {
  let prev = NaN;
  let total = 0;
  for (let i = Math.max(0, fromIndex); i < Math.min(toIndex, s.grid.points); i++) {
    const v = s.values[i]!;
    if (Number.isNaN(v)) continue;
    if (!Number.isNaN(prev)) total += v >= prev ? v - prev : v;
    prev = v;
  }
  return total;
}

/** The JSON shape of a series for the API: times implied by the grid, null for no data. */
export interface SeriesJson {
  readonly fromMs: number;
  readonly stepMs: number;
  readonly values: Array<number | null>;
}

export function seriesToJson(s: TimeSeries): SeriesJson {
  return {
    fromMs: s.grid.fromMs,
    stepMs: s.grid.stepMs,
    values: Array.from(s.values, (v) => (Number.isNaN(v) ? null : v)),
  };
}

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

/** NaNs to copy from: `set` runs as a block copy, where `fill(NaN)` on a view walks element by element. */
let nanRun = new Float64Array(0);

/** A run of `n` NaN doubles, a view into the current slab. */
export function allocNaN(n: number): Float64Array {
  const out = allocValues(n);
  if (nanRun.length < n) nanRun = new Float64Array(Math.max(n, 1024)).fill(NaN);
  out.set(n === nanRun.length ? nanRun : nanRun.subarray(0, n));
  return out;
}

export function emptySeries(grid: TimeGrid): TimeSeries {
  return { grid, values: allocNaN(grid.points) };
}

export function constantSeries(grid: TimeGrid, value: number): TimeSeries {
  return { grid, values: allocValues(grid.points).fill(value) };
}

/**
 * Places (time, value) pairs on the grid; times off the grid are dropped. The points are kept as
 * they came and put on the grid the first time `values` is read: most input series of a world
 * are only ever summed with others (connections into edges, instances into applications), and
 * {@link sumSeries} adds them straight from their points.
 */
export function seriesFromPoints(
  grid: TimeGrid,
  timestampsMs: ArrayLike<number>,
  values: ArrayLike<number>,
): TimeSeries {
  return new PointsSeries(grid, timestampsMs, values);
}

/** How point values combine: the sum, the maximum, or the later one (placing points on the grid). */
const Fold = { Sum: 0, Max: 1, Last: 2 } as const;
type Fold = (typeof Fold)[keyof typeof Fold];

class PointsSeries implements TimeSeries {
  #values: Float64Array | undefined;

  constructor(
    readonly grid: TimeGrid,
    private readonly timestampsMs: ArrayLike<number>,
    private readonly points: ArrayLike<number>,
  ) {}

  get values(): Float64Array {
    if (this.#values === undefined) {
      const out = allocNaN(this.grid.points);
      this.foldInto(out, Fold.Last);
      this.#values = out;
    }
    return this.#values;
  }

  /** Folds each point into `acc[i]` (a NaN `acc[i]` takes the point), NaN points skipped. */
  foldInto(acc: Float64Array, fold: Fold): void {
    if (this.#values !== undefined) return foldValues(acc, this.#values, fold);
    const { grid, timestampsMs: ts, points } = this;
    const n = ts.length;
    if (n === grid.points && n > 0 && ts[0] === grid.fromMs && isGridTimes(ts, grid))
      return foldValues(acc, points, fold);
    for (let k = 0; k < n; k++) {
      const offset = ts[k]! - grid.fromMs;
      if (offset < 0) continue;
      const i = offset / grid.stepMs;
      if (i >= grid.points || !Number.isInteger(i)) continue;
      const v = points[k]!;
      if (v !== v) continue;
      const o = acc[i]!;
      acc[i] = o !== o || fold === Fold.Last ? v : fold === Fold.Sum ? o + v : v > o ? v : o;
    }
  }
}

/** Whether `ts` is exactly the grid's times, one per step. */
function isGridTimes(ts: ArrayLike<number>, grid: TimeGrid): boolean {
  for (let i = 0; i < ts.length; i++) if (ts[i] !== grid.fromMs + i * grid.stepMs) return false;
  return true;
}

/** `values` folded into `acc` index by index; one loop per fold so each stays a tight loop. */
function foldValues(acc: Float64Array, values: ArrayLike<number>, fold: Fold): void {
  const n = Math.min(acc.length, values.length);
  if (fold === Fold.Sum) {
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (v !== v) continue;
      const o = acc[i]!;
      acc[i] = o !== o ? v : o + v;
    }
  } else if (fold === Fold.Max) {
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (v !== v) continue;
      const o = acc[i]!;
      acc[i] = o !== o || v > o ? v : o;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (v === v) acc[i] = v;
    }
  }
}

/** Folds several series point by point, skipping NaN; NaN only where every input is NaN. */
function foldSeries(grid: TimeGrid, series: readonly TimeSeries[], fold: Fold): TimeSeries {
  // Series are never written after they are built: one input is its own sum (and max).
  if (series.length === 1 && series[0]!.grid.points === grid.points) return series[0]!;
  const out = emptySeries(grid);
  for (const s of series) {
    if (s instanceof PointsSeries) s.foldInto(out.values, fold);
    else foldValues(out.values, s.values, fold);
  }
  return out;
}

/** Point-wise sum; NaN only where every input is NaN. Empty input → all NaN. */
export function sumSeries(grid: TimeGrid, series: readonly TimeSeries[]): TimeSeries {
  return foldSeries(grid, series, Fold.Sum);
}

/** Point-wise maximum; NaN only where every input is NaN. */
export function maxSeries(grid: TimeGrid, series: readonly TimeSeries[]): TimeSeries {
  return foldSeries(grid, series, Fold.Max);
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

/**
 * The series in its API shape. The values array is made when first read or serialized: an audit
 * charts every report of every application, and as a JS array each point is a boxed number
 * (bench/model: a third of the audit's heap was chart arrays no response would ever send).
 */
export function seriesToJson(s: TimeSeries): SeriesJson {
  let values: Array<number | null> | undefined;
  return {
    fromMs: s.grid.fromMs,
    stepMs: s.grid.stepMs,
    get values() {
      return (values ??= nullForNaN(s.values));
    },
  };
}

function nullForNaN(values: Float64Array): (number | null)[] {
  const out: (number | null)[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] = v === v ? v : null;
  }
  return out;
}

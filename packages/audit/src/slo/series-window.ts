/**
 * Sums of a series over trailing windows on its grid: the one primitive the burn rates need.
 * A point's value is a per-second rate over the step that ends there, so the sum of the last
 * `n` points times the step is the number of requests in those `n` steps; ratios of two such
 * sums (bad / total) are ratios of request counts, the step cancels.
 */
import { allocValues, type TimeGrid, type TimeSeries } from '@vigil/model';

/**
 * Prefix sums over the defined points: `sums[i]` is the sum of `values[0..i)`, NaN counted as 0,
 * and `defined[i]` how many of them were defined, so a window with no data at all can be told
 * apart from a window with zero traffic.
 */
export interface PrefixSums {
  readonly sums: Float64Array;
  readonly defined: Float64Array;
}

export function prefixSums(s: TimeSeries): PrefixSums {
  const n = s.values.length;
  // Cut from the model's slabs (zeroed): an ArrayBuffer each drove the collector at 1,000 apps.
  const sums = allocValues(n + 1);
  const defined = allocValues(n + 1);
  for (let i = 0; i < n; i++) {
    const v = s.values[i]!;
    const ok = !Number.isNaN(v);
    sums[i + 1] = sums[i]! + (ok ? v : 0);
    defined[i + 1] = defined[i]! + (ok ? 1 : 0);
  }
  return { sums, defined };
}

/**
 * Number of grid points a window of `windowMs` spans: rounded up, so the window is never
 * shorter than asked, and at least one point (a 5 min window on a 5 min grid is one step; on a
 * 15 min grid it is still one step, the finest the data allows).
 */
export function windowPoints(grid: TimeGrid, windowMs: number): number {
  return Math.max(1, Math.ceil(windowMs / grid.stepMs));
}

/**
 * Sum over the `points` points ending at `endIndex` (inclusive), clipped at the grid's start,
 * NaN when none of them is defined. Clipping means the first points of a grid see a shorter
 * window than asked; callers that care fetch `lookback` more history before the range they judge.
 */
export function windowSum(p: PrefixSums, endIndex: number, points: number): number {
  const hi = endIndex + 1;
  const lo = Math.max(0, hi - points);
  if (p.defined[hi]! - p.defined[lo]! === 0) return NaN;
  return p.sums[hi]! - p.sums[lo]!;
}

/**
 * The part of `s` that lies on `grid` (same step, `grid` inside `s`'s grid); used to cut the
 * displayed window out of series fetched with extra history, and by the incremental runner.
 */
export function sliceSeries(s: TimeSeries, grid: TimeGrid): TimeSeries {
  const offset = gridOffset(s.grid, grid);
  // A view, not a copy: series are never written after they are built.
  return { grid, values: s.values.subarray(offset, offset + grid.points) };
}

/**
 * Index in `outer` of `inner`'s first point. Throws RangeError when the grids do not line up
 * (different steps, or `inner` not inside `outer`): that is a caller's bug, not bad input.
 */
export function gridOffset(outer: TimeGrid, inner: TimeGrid): number {
  const offset = (inner.fromMs - outer.fromMs) / outer.stepMs;
  if (
    inner.stepMs !== outer.stepMs ||
    !Number.isInteger(offset) ||
    offset < 0 ||
    offset + inner.points > outer.points
  ) {
    throw new RangeError(
      `grid ${inner.fromMs}+${inner.stepMs}×${inner.points} is not inside ${outer.fromMs}+${outer.stepMs}×${outer.points}`,
    );
  }
  return offset;
}

/** Throws RangeError unless `actual` is exactly `expected` (series combined index by index). */
export function assertSameGrid(expected: TimeGrid, actual: TimeGrid, what: string): void {
  if (
    actual.fromMs !== expected.fromMs ||
    actual.stepMs !== expected.stepMs ||
    actual.points !== expected.points
  )
    throw new RangeError(
      `${what} is not on the grid ${expected.fromMs}+${expected.stepMs}×${expected.points}`,
    );
}

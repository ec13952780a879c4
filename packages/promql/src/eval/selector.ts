import type { MatrixSelector, VectorSelector } from '../parser/ast.ts';
import { atTimeMs } from './plan.ts';
import type { EvalContext } from './context.ts';
import type { SeriesWindows } from '../model/series-source.ts';
import { lowerBound, upperBound } from './search.ts';
import { newStepSeries, type Grid, type RangeSeries, type StepSeries } from './values.ts';

/**
 * Evaluates an instant vector selector on every step of the grid: the latest sample at or
 * before the reference time (step time, or the `@` time, minus the offset), if it is no older
 * than the lookback delta and is not a staleness marker. With `timestamps` the sample's own
 * time in seconds is returned instead of its value (for `timestamp(selector)`).
 */
export function selectInstant(
  ctx: EvalContext,
  node: VectorSelector,
  grid: Grid,
  timestamps = false,
): StepSeries[] {
  const windows = ctx.windows(node);
  if (windows !== undefined) return instantFromWindows(ctx, windows, grid, timestamps);
  const lookback = ctx.frame.lookbackMs;
  const at = node.at === undefined ? undefined : atTimeMs(node.at, ctx.frame);
  const out: StepSeries[] = [];
  let total = 0;
  for (const s of ctx.data(node)) {
    ctx.limits.check();
    const ts = s.timestampsMs;
    const vs = s.values;
    const n = ts.length;
    const series = newStepSeries(s.labels, grid.steps);
    const firstRef = (at ?? grid.startMs) - node.offsetMs;
    let j = upperBound(ts, firstRef, 0, n) - 1;
    let count = 0;
    for (let i = 0; i < grid.steps; i++) {
      const ref = (at ?? grid.startMs + i * grid.stepMs) - node.offsetMs;
      while (j + 1 < n && ts[j + 1]! <= ref) j++;
      if (j < 0 || ts[j]! < ref - lookback || s.stale?.[j] === 1) continue;
      series.present[i] = 1;
      series.values[i] = timestamps ? ts[j]! / 1000 : vs[j]!;
      count++;
    }
    if (count > 0) {
      out.push(series);
      total += count;
    }
  }
  ctx.limits.add(total);
  return out;
}

/**
 * The same from windows of the lookback the store summarized for the query's grid (plan.ts):
 * a step has the window's newest value unless a staleness marker came after it.
 */
function instantFromWindows(
  ctx: EvalContext,
  windows: readonly SeriesWindows[],
  grid: Grid,
  timestamps: boolean,
): StepSeries[] {
  const out: StepSeries[] = [];
  let total = 0;
  for (const w of windows) {
    ctx.limits.check();
    const series = newStepSeries(w.labels, grid.steps);
    let count = 0;
    for (let j = 0; j < w.step.length; j++) {
      if (w.lastStale?.[j] === 1) continue;
      const i = w.step[j]!;
      series.present[i] = 1;
      series.values[i] = timestamps ? w.lastT[j]! / 1000 : w.lastV[j]!;
      count++;
    }
    if (count > 0) {
      out.push(series);
      total += count;
    }
  }
  ctx.limits.add(total);
  return out;
}

/**
 * A matrix selector evaluated at one time (an instant query of `foo[5m]`): the samples in
 * [t - offset - range, t - offset], both ends inclusive as in Prometheus 2.x, staleness
 * markers dropped.
 */
export function selectRange(ctx: EvalContext, node: MatrixSelector, timeMs: number): RangeSeries[] {
  const vs = node.selector;
  const maxt = (vs.at === undefined ? timeMs : atTimeMs(vs.at, ctx.frame)) - vs.offsetMs;
  const mint = maxt - node.rangeMs;
  const out: RangeSeries[] = [];
  for (const s of ctx.data(vs)) {
    const ts = s.rangeTimestampsMs;
    const lo = lowerBound(ts, mint, 0, ts.length);
    const hi = upperBound(ts, maxt, lo, ts.length);
    if (hi <= lo) continue;
    ctx.limits.add(hi - lo);
    out.push({
      labels: s.labels,
      timestampsMs: copyRange(ts, lo, hi),
      values: copyRange(s.rangeValues, lo, hi),
    });
  }
  return out;
}

function copyRange(a: ArrayLike<number>, lo: number, hi: number): number[] {
  const out = new Array<number>(hi - lo);
  for (let i = lo; i < hi; i++) out[i - lo] = a[i]!;
  return out;
}

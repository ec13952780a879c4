import { PromQLError } from '../errors.ts';
import { RANGE_FUNCTIONS } from '../functions/range-registry.ts';
import type { RangeWindow } from '../functions/window.ts';
import { dropMetricName } from '../model/labels.ts';
import { unwrapParens, type CallExpr, type Expr, type MatrixSelector } from '../parser/ast.ts';
import { SUMMARY_FUNCTIONS, type WindowBounds } from '../functions/window-summary.ts';
import type { SeriesWindows } from '../model/series-source.ts';
import { absentLabels } from './absent.ts';
import { evalScalar, type EvalContext } from './context.ts';
import { atTimeMs } from './plan.ts';
import { lowerBound, upperBound } from './search.ts';
import { assertUniqueLabels } from './series-set.ts';
import { evalSubquery, type WindowInput } from './subquery.ts';
import { newStepSeries, type Grid, type StepSeries, type Value } from './values.ts';

/** Index of the argument that is a range vector (matrix selector or subquery), or -1. */
export function rangeArgIndex(call: CallExpr): number {
  return call.args.findIndex((a) => {
    const e = unwrapParens(a);
    return e.type === 'matrixSelector' || e.type === 'subquery';
  });
}

interface WindowSpec {
  readonly inputs: readonly WindowInput[];
  readonly rangeMs: number;
  readonly offsetMs: number;
  readonly atMs: number | undefined;
}

function windowSpec(ctx: EvalContext, arg: Expr, grid: Grid): WindowSpec {
  if (arg.type === 'matrixSelector') {
    const vs = arg.selector;
    const inputs = ctx.data(vs).map((s) => ({
      labels: s.labels,
      timestampsMs: s.rangeTimestampsMs,
      values: s.rangeValues,
    }));
    const atMs = vs.at === undefined ? undefined : atTimeMs(vs.at, ctx.frame);
    return { inputs, rangeMs: arg.rangeMs, offsetMs: vs.offsetMs, atMs };
  }
  if (arg.type !== 'subquery') throw new PromQLError('internal', 'range function without a range argument');
  const atMs = arg.at === undefined ? undefined : atTimeMs(arg.at, ctx.frame);
  return { inputs: evalSubquery(ctx, arg, grid), rangeMs: arg.rangeMs, offsetMs: arg.offsetMs, atMs };
}

/**
 * Evaluates a function over a range vector (`rate(x[5m])`, `max_over_time(q[1h:1m])`): for
 * each series, slides the window [t - offset - range, t - offset] over the steps with two
 * moving indices and calls the function on the samples inside. Output series drop the metric
 * name, except for last_over_time; absent_over_time reports the steps no series covered.
 */
export function evalRangeCall(ctx: EvalContext, call: CallExpr, grid: Grid): Value {
  const fn = RANGE_FUNCTIONS.get(call.func);
  const index = rangeArgIndex(call);
  if (fn === undefined || index < 0)
    throw new PromQLError('internal', `${call.func} is not a range function`);
  const matrixArg = unwrapParens(call.args[index]!);
  if (matrixArg.type === 'matrixSelector') {
    const windows = ctx.windows(matrixArg.selector);
    if (windows !== undefined) return evalFromWindows(ctx, call, matrixArg, windows, grid);
  }
  const scalarArgs = call.args.map((a, i) => (i === index ? undefined : evalScalar(ctx, a, grid)));
  const spec = windowSpec(ctx, matrixArg, grid);
  const keepName = call.func === 'last_over_time';
  const window: RangeWindow = {
    ts: [],
    vs: [],
    lo: 0,
    hi: 0,
    evalTsMs: 0,
    rangeStartMs: 0,
    rangeEndMs: 0,
    rangeMs: spec.rangeMs,
    params: [],
  };
  const hasParams = scalarArgs.some((a) => a !== undefined);
  const covered = new Uint8Array(grid.steps);
  const out: StepSeries[] = [];
  for (const input of spec.inputs) {
    ctx.limits.check();
    const ts = input.timestampsMs;
    const n = ts.length;
    const series = newStepSeries(keepName ? input.labels : dropMetricName(input.labels), grid.steps);
    window.ts = ts;
    window.vs = input.values;
    let lo = -1;
    let hi = 0;
    let count = 0;
    let maxWindow = 0;
    for (let i = 0; i < grid.steps; i++) {
      const t = grid.startMs + i * grid.stepMs;
      const maxt = (spec.atMs ?? t) - spec.offsetMs;
      const mint = maxt - spec.rangeMs;
      if (lo < 0) {
        lo = lowerBound(ts, mint, 0, n);
        hi = upperBound(ts, maxt, lo, n);
      } else {
        while (lo < n && ts[lo]! < mint) lo++;
        if (hi < lo) hi = lo;
        while (hi < n && ts[hi]! <= maxt) hi++;
      }
      if (hi <= lo) continue;
      covered[i] = 1;
      if (hi - lo > maxWindow) maxWindow = hi - lo;
      window.lo = lo;
      window.hi = hi;
      window.evalTsMs = t;
      window.rangeStartMs = mint;
      window.rangeEndMs = maxt;
      if (hasParams) {
        window.params.length = 0;
        for (const a of scalarArgs) if (a !== undefined) window.params.push(a[i]!);
      }
      const v = fn(window);
      if (v === null) continue;
      series.present[i] = 1;
      series.values[i] = v;
      count++;
    }
    keepSeries(ctx, out, series, count, maxWindow);
  }
  if (call.func === 'absent_over_time') return absentOverTime(matrixArg, covered, grid);
  assertUniqueLabels(out);
  return { kind: 'vector', series: out };
}

/**
 * The same evaluation from window summaries the store computed for the query's grid (plan.ts
 * decides when): one function call per non-empty window, no samples in memory.
 */
function evalFromWindows(
  ctx: EvalContext,
  call: CallExpr,
  arg: MatrixSelector,
  windows: readonly SeriesWindows[],
  grid: Grid,
): Value {
  const fn = SUMMARY_FUNCTIONS.get(call.func);
  if (fn === undefined) throw new PromQLError('internal', `${call.func} has no window-summary form`);
  const keepName = call.func === 'last_over_time';
  const bounds: WindowBounds = { rangeStartMs: 0, rangeEndMs: 0, rangeMs: arg.rangeMs };
  const out: StepSeries[] = [];
  for (const s of windows) {
    ctx.limits.check();
    const series = newStepSeries(keepName ? s.labels : dropMetricName(s.labels), grid.steps);
    let count = 0;
    let maxWindow = 0;
    for (let j = 0; j < s.step.length; j++) {
      const i = s.step[j]!;
      if (i >= grid.steps) throw new PromQLError('internal', 'window summary outside the query grid');
      if (s.count[j]! > maxWindow) maxWindow = s.count[j]!;
      bounds.rangeEndMs = grid.startMs + i * grid.stepMs - arg.selector.offsetMs;
      bounds.rangeStartMs = bounds.rangeEndMs - arg.rangeMs;
      const v = fn(s, j, bounds);
      if (v === null) continue;
      series.present[i] = 1;
      series.values[i] = v;
      count++;
    }
    keepSeries(ctx, out, series, count, maxWindow);
  }
  assertUniqueLabels(out);
  return { kind: 'vector', series: out };
}

/**
 * Accounts one evaluated series against the sample limit (Prometheus holds one window of
 * samples per series while it iterates) and keeps it if any step produced a value.
 */
function keepSeries(
  ctx: EvalContext,
  out: StepSeries[],
  series: StepSeries,
  count: number,
  maxWindow: number,
): void {
  ctx.limits.add(maxWindow);
  ctx.limits.release(maxWindow);
  if (count > 0) {
    out.push(series);
    ctx.limits.add(count);
  }
}

function absentOverTime(arg: Expr, covered: Uint8Array, grid: Grid): Value {
  if (covered.every((c) => c === 1)) return { kind: 'vector', series: [] };
  const series = newStepSeries(absentLabels(arg), grid.steps);
  for (let i = 0; i < grid.steps; i++) {
    if (covered[i] === 1) continue;
    series.present[i] = 1;
    series.values[i] = 1;
  }
  return { kind: 'vector', series: [series] };
}

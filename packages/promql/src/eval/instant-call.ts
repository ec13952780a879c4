import { PromQLError } from '../errors.ts';
import { DATE_FUNCTIONS, SIMPLE_FUNCTIONS, dateOfSeconds } from '../functions/math.ts';
import { dropMetricName } from '../model/labels.ts';
import { unwrapParens, type CallExpr } from '../parser/ast.ts';
import { absentLabels } from './absent.ts';
import { evalScalar, evalVector, stepTime, type EvalContext } from './context.ts';
import { histogramQuantile } from './histogram.ts';
import { labelJoin, labelReplace } from './label-functions.ts';
import { evalRangeCall, rangeArgIndex } from './range-call.ts';
import { selectInstant } from './selector.ts';
import { SeriesSet } from './series-set.ts';
import { newStepSeries, type Grid, type StepSeries, type Value } from './values.ts';

/**
 * Evaluates a function call. Range-vector functions go to range-call.ts; the rest work on
 * instant vectors and scalars, step by step where they look across series (scalar, absent,
 * histogram_quantile) and series by series otherwise.
 */
export function evalCall(ctx: EvalContext, call: CallExpr, grid: Grid): Value {
  if (rangeArgIndex(call) >= 0) return evalRangeCall(ctx, call, grid);
  const simple = SIMPLE_FUNCTIONS.get(call.func);
  if (simple !== undefined) return mapValues(grid, evalVector(ctx, call.args[0]!, grid), (v) => simple(v));
  const date = DATE_FUNCTIONS.get(call.func);
  if (date !== undefined) return dateFunction(ctx, call, grid, date);
  switch (call.func) {
    case 'time':
      return scalarOf(grid, (i) => stepTime(grid, i) / 1000);
    case 'pi':
      return scalarOf(grid, () => Math.PI);
    case 'vector': {
      const s = evalScalar(ctx, call.args[0]!, grid);
      const series = newStepSeries([], grid.steps);
      series.present.fill(1);
      series.values.set(s);
      return { kind: 'vector', series: [series] };
    }
    case 'scalar':
      return scalarFunction(evalVector(ctx, call.args[0]!, grid), grid);
    case 'timestamp':
      return timestampFunction(ctx, call, grid);
    case 'clamp':
    case 'clamp_min':
    case 'clamp_max':
    case 'round':
      return withScalarParams(ctx, call, grid);
    case 'sort':
    case 'sort_desc':
      return sortFunction(evalVector(ctx, call.args[0]!, grid), grid, call.func === 'sort_desc');
    case 'absent':
      return absentFunction(ctx, call, grid);
    case 'histogram_quantile':
      return histogramQuantile(
        evalScalar(ctx, call.args[0]!, grid),
        evalVector(ctx, call.args[1]!, grid),
        grid,
      );
    case 'histogram_count':
    case 'histogram_sum':
    case 'histogram_fraction':
      // Native histograms only; float samples are skipped, and there is nothing else.
      return { kind: 'vector', series: [] };
    case 'label_replace':
      return labelReplace(ctx, call, grid);
    case 'label_join':
      return labelJoin(ctx, call, grid);
    default:
      throw new PromQLError('internal', `function ${call.func} is not implemented`);
  }
}

/** Applies `f(value, step)` to every sample, dropping the metric name. */
export function mapValues(
  grid: Grid,
  input: readonly StepSeries[],
  f: (v: number, step: number) => number | null,
): Value {
  const set = new SeriesSet(grid.steps);
  for (const s of input) {
    const out = newStepSeries(dropMetricName(s.labels), grid.steps);
    for (let i = 0; i < grid.steps; i++) {
      if (s.present[i] !== 1) continue;
      const v = f(s.values[i]!, i);
      if (v === null) continue;
      out.present[i] = 1;
      out.values[i] = v;
    }
    set.addSeries(out);
  }
  return { kind: 'vector', series: set.list };
}

function scalarOf(grid: Grid, f: (i: number) => number): Value {
  const values = new Float64Array(grid.steps);
  for (let i = 0; i < grid.steps; i++) values[i] = f(i);
  return { kind: 'scalar', values };
}

function dateFunction(ctx: EvalContext, call: CallExpr, grid: Grid, f: (d: Date) => number): Value {
  if (call.args.length === 0) {
    const series = newStepSeries([], grid.steps);
    for (let i = 0; i < grid.steps; i++) {
      series.present[i] = 1;
      series.values[i] = f(dateOfSeconds(Math.trunc(stepTime(grid, i) / 1000)));
    }
    return { kind: 'vector', series: [series] };
  }
  return mapValues(grid, evalVector(ctx, call.args[0]!, grid), (v) => f(dateOfSeconds(v)));
}

function scalarFunction(input: readonly StepSeries[], grid: Grid): Value {
  const values = new Float64Array(grid.steps);
  for (let i = 0; i < grid.steps; i++) {
    let found = 0;
    let v = NaN;
    for (const s of input) {
      if (s.present[i] !== 1) continue;
      found++;
      v = s.values[i]!;
    }
    values[i] = found === 1 ? v : NaN;
  }
  return { kind: 'scalar', values };
}

/** timestamp(): the sample's own time for a plain selector argument, else the step's time. */
function timestampFunction(ctx: EvalContext, call: CallExpr, grid: Grid): Value {
  const arg = unwrapParens(call.args[0]!);
  if (arg.type === 'vectorSelector') return mapValues(grid, selectInstant(ctx, arg, grid, true), (v) => v);
  return mapValues(grid, evalVector(ctx, arg, grid), (_v, i) => stepTime(grid, i) / 1000);
}

function withScalarParams(ctx: EvalContext, call: CallExpr, grid: Grid): Value {
  const input = evalVector(ctx, call.args[0]!, grid);
  const p = call.args.slice(1).map((a) => evalScalar(ctx, a, grid));
  switch (call.func) {
    case 'clamp':
      return mapValues(grid, input, (v, i) => {
        const min = p[0]![i]!;
        const max = p[1]![i]!;
        return max < min ? null : Math.max(min, Math.min(max, v));
      });
    case 'clamp_min':
      return mapValues(grid, input, (v, i) => Math.max(p[0]![i]!, v));
    case 'clamp_max':
      return mapValues(grid, input, (v, i) => Math.min(p[0]![i]!, v));
    default: {
      // round(v, to_nearest): ties round up; the inverse is used as Prometheus does.
      return mapValues(grid, input, (v, i) => {
        const inverse = 1 / (p[0] === undefined ? 1 : p[0][i]!);
        return Math.floor(v * inverse + 0.5) / inverse;
      });
    }
  }
}

/** sort/sort_desc order an instant query's result by value (NaN last); labels are kept. */
function sortFunction(input: StepSeries[], grid: Grid, descending: boolean): Value {
  if (grid.steps !== 1) return { kind: 'vector', series: input };
  const sorted = [...input].sort((a, b) => {
    const x = a.values[0]!;
    const y = b.values[0]!;
    if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
    if (Number.isNaN(y)) return -1;
    return descending ? y - x : x - y;
  });
  return { kind: 'vector', series: sorted };
}

function absentFunction(ctx: EvalContext, call: CallExpr, grid: Grid): Value {
  const input = evalVector(ctx, call.args[0]!, grid);
  const series = newStepSeries(absentLabels(call.args[0]!), grid.steps);
  let any = false;
  for (let i = 0; i < grid.steps; i++) {
    if (input.some((s) => s.present[i] === 1)) continue;
    series.present[i] = 1;
    series.values[i] = 1;
    any = true;
  }
  return { kind: 'vector', series: any ? [series] : [] };
}

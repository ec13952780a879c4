import { PromQLError } from '../errors.ts';
import { quantile } from '../functions/quantile.ts';
import type { AggregateExpr, AggregateOp } from '../parser/ast.ts';
import { countValues } from './count-values.ts';
import { evalScalar, evalString, evalVector, type EvalContext } from './context.ts';
import { assignGroups } from './grouping.ts';
import { topK } from './topk.ts';
import { newStepSeries, type Grid, type StepSeries, type Value } from './values.ts';

/**
 * Evaluates an aggregation. Each step walks the input series in order and folds present
 * samples into per-group state kept in typed arrays (no per-step allocation), with the update
 * rules of Prometheus 2.42 (plain sum, incremental mean, Welford variance, NaN handling of
 * min/max).
 */
export function evalAggregation(ctx: EvalContext, e: AggregateExpr, grid: Grid): Value {
  const input = evalVector(ctx, e.expr, grid);
  switch (e.op) {
    case 'topk':
    case 'bottomk':
      return topK(e, input, evalScalar(ctx, e.param!, grid), grid);
    case 'count_values':
      return countValues(e, input, evalString(ctx, e.param!, grid), grid);
    case 'quantile':
      return quantileAggregation(e, input, evalScalar(ctx, e.param!, grid), grid);
    default:
      return foldAggregation(e.op, e, input, grid);
  }
}

function foldAggregation(op: AggregateOp, e: AggregateExpr, input: StepSeries[], grid: Grid): Value {
  const { groupOf, labels } = assignGroups(input, e.grouping, e.without);
  const n = labels.length;
  const stamp = new Int32Array(n).fill(-1);
  const value = new Float64Array(n);
  const mean = new Float64Array(n);
  const count = new Float64Array(n);
  const outputs: (StepSeries | undefined)[] = new Array<StepSeries | undefined>(n);
  const order: StepSeries[] = [];
  for (let i = 0; i < grid.steps; i++) {
    for (let si = 0; si < input.length; si++) {
      const s = input[si]!;
      if (s.present[i] !== 1) continue;
      const v = s.values[i]!;
      const g = groupOf[si]!;
      if (stamp[g] !== i) {
        stamp[g] = i;
        value[g] = op === 'stddev' || op === 'stdvar' ? 0 : op === 'group' ? 1 : v;
        mean[g] = v;
        count[g] = 1;
        continue;
      }
      switch (op) {
        case 'sum':
          value[g] = value[g]! + v;
          break;
        case 'avg': {
          const c = (count[g] = count[g]! + 1);
          const m = mean[g]!;
          if (!Number.isFinite(m) && !Number.isNaN(m)) {
            if (!Number.isFinite(v) && !Number.isNaN(v) && m > 0 === v > 0) break;
            if (Number.isFinite(v)) break;
          }
          mean[g] = m + (v / c - m / c);
          break;
        }
        case 'max':
          if (value[g]! < v || Number.isNaN(value[g]!)) value[g] = v;
          break;
        case 'min':
          if (value[g]! > v || Number.isNaN(value[g]!)) value[g] = v;
          break;
        case 'count':
          count[g] = count[g]! + 1;
          break;
        case 'stddev':
        case 'stdvar': {
          const c = (count[g] = count[g]! + 1);
          const delta = v - mean[g]!;
          mean[g] = mean[g]! + delta / c;
          value[g] = value[g]! + delta * (v - mean[g]!);
          break;
        }
        default:
          break;
      }
    }
    for (let g = 0; g < n; g++) {
      if (stamp[g] !== i) continue;
      let out = outputs[g];
      if (out === undefined) {
        out = newStepSeries(labels[g]!, grid.steps);
        outputs[g] = out;
        order.push(out);
      }
      out.present[i] = 1;
      out.values[i] = finalValue(op, value[g]!, mean[g]!, count[g]!);
    }
  }
  return { kind: 'vector', series: instantOrder(order, outputs, input, groupOf, grid) };
}

function finalValue(op: AggregateOp, value: number, mean: number, count: number): number {
  switch (op) {
    case 'avg':
      return mean;
    case 'count':
      return count;
    case 'stdvar':
      return value / count;
    case 'stddev':
      return Math.sqrt(value / count);
    default:
      return value;
  }
}

/** For an instant query, groups come out in the order their first input series appear. */
function instantOrder(
  order: StepSeries[],
  outputs: (StepSeries | undefined)[],
  input: readonly StepSeries[],
  groupOf: Int32Array,
  grid: Grid,
): StepSeries[] {
  if (grid.steps !== 1) return order;
  const seen = new Set<number>();
  const out: StepSeries[] = [];
  for (let si = 0; si < input.length; si++) {
    const g = groupOf[si]!;
    if (input[si]!.present[0] !== 1 || seen.has(g)) continue;
    seen.add(g);
    out.push(outputs[g]!);
  }
  return out;
}

function quantileAggregation(e: AggregateExpr, input: StepSeries[], q: Float64Array, grid: Grid): Value {
  const { groupOf, labels } = assignGroups(input, e.grouping, e.without);
  const outputs: (StepSeries | undefined)[] = new Array<StepSeries | undefined>(labels.length);
  const order: StepSeries[] = [];
  const values: number[][] = labels.map(() => []);
  for (let i = 0; i < grid.steps; i++) {
    for (const v of values) v.length = 0;
    for (let si = 0; si < input.length; si++) {
      const s = input[si]!;
      if (s.present[i] === 1) values[groupOf[si]!]!.push(s.values[i]!);
    }
    for (let g = 0; g < labels.length; g++) {
      const list = values[g]!;
      if (list.length === 0) continue;
      let out = outputs[g];
      if (out === undefined) {
        out = newStepSeries(labels[g]!, grid.steps);
        outputs[g] = out;
        order.push(out);
      }
      out.present[i] = 1;
      out.values[i] = quantile(q[i]!, list);
    }
  }
  return { kind: 'vector', series: instantOrder(order, outputs, input, groupOf, grid) };
}

/** Go's float64 → int64 conversion range check, as Prometheus applies it to topk's k. */
export function toInt64(f: number): number {
  if (!(f <= 9223372036854774784 && f >= -9223372036854775808)) {
    throw new PromQLError('execution', `Scalar value ${Number.isNaN(f) ? 'NaN' : f} overflows int64`);
  }
  return Math.trunc(f);
}

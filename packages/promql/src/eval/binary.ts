import { dropMetricName } from '../model/labels.ts';
import type { BinaryExpr } from '../parser/ast.ts';
import { arithmetic, compare, dropsMetricName, isComparison } from './binary-ops.ts';
import type { EvalContext } from './context.ts';
import { SeriesSet } from './series-set.ts';
import { newStepSeries, type Grid, type StepSeries, type Value } from './values.ts';
import { vectorBinary } from './vector-matching.ts';

/** Evaluates a binary operation by operand types: scalar/scalar, vector/scalar or vector/vector. */
export function evalBinary(ctx: EvalContext, e: BinaryExpr, grid: Grid): Value {
  const lhs = ctx.eval(e.lhs, grid);
  const rhs = ctx.eval(e.rhs, grid);
  if (lhs.kind === 'scalar' && rhs.kind === 'scalar') {
    const values = new Float64Array(grid.steps);
    for (let i = 0; i < grid.steps; i++) {
      const l = lhs.values[i]!;
      const r = rhs.values[i]!;
      values[i] = isComparison(e.op) ? (compare(e.op, l, r) ? 1 : 0) : arithmetic(e.op, l, r);
    }
    return { kind: 'scalar', values };
  }
  if (lhs.kind === 'vector' && rhs.kind === 'scalar')
    return vectorScalar(e, lhs.series, rhs.values, false, grid);
  if (lhs.kind === 'scalar' && rhs.kind === 'vector')
    return vectorScalar(e, rhs.series, lhs.values, true, grid);
  return vectorBinary(e, evalVectorValue(lhs), evalVectorValue(rhs), grid);
}

function evalVectorValue(v: Value): StepSeries[] {
  return v.kind === 'vector' ? v.series : [];
}

/**
 * vector op scalar (or scalar op vector when `swapped`). Comparisons filter and keep the
 * vector's value, whichever side it is on; `bool` turns them into 0/1 and drops the name.
 */
function vectorScalar(
  e: BinaryExpr,
  vector: readonly StepSeries[],
  scalar: Float64Array,
  swapped: boolean,
  grid: Grid,
): Value {
  const comparison = isComparison(e.op);
  const dropName = dropsMetricName(e.op) || e.returnBool;
  const set = new SeriesSet(grid.steps);
  for (const s of vector) {
    const out = newStepSeries(dropName ? dropMetricName(s.labels) : s.labels, grid.steps);
    for (let i = 0; i < grid.steps; i++) {
      if (s.present[i] !== 1) continue;
      const v = s.values[i]!;
      const l = swapped ? scalar[i]! : v;
      const r = swapped ? v : scalar[i]!;
      let value: number;
      if (comparison) {
        const keep = compare(e.op, l, r);
        if (e.returnBool) value = keep ? 1 : 0;
        else if (keep) value = v;
        else continue;
      } else {
        value = arithmetic(e.op, l, r);
      }
      out.present[i] = 1;
      out.values[i] = value;
    }
    set.addSeries(out);
  }
  return { kind: 'vector', series: set.list };
}

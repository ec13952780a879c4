import { PromQLError } from '../errors.ts';
import type { Expr, VectorSelector } from '../parser/ast.ts';
import type { QueryLimits } from './limits.ts';
import type { QueryFrame } from './plan.ts';
import type { PreparedSeries } from './prepared.ts';
import type { SeriesWindows } from '../model/series-source.ts';
import type { Grid, StepSeries, Value } from './values.ts';

/** What the evaluation modules share: the fetched data, the limits and recursive evaluation. */
export interface EvalContext {
  readonly frame: QueryFrame;
  readonly limits: QueryLimits;
  /** The series fetched for each selector node of the query. */
  data(node: VectorSelector): readonly PreparedSeries[];
  /** Window summaries fetched for a selector instead of its samples (plan.ts), if any. */
  windows(node: VectorSelector): readonly SeriesWindows[] | undefined;
  eval(expr: Expr, grid: Grid): Value;
}

export function evalVector(ctx: EvalContext, expr: Expr, grid: Grid): StepSeries[] {
  const v = ctx.eval(expr, grid);
  if (v.kind !== 'vector') throw new PromQLError('internal', `expected an instant vector, got ${v.kind}`);
  return v.series;
}

export function evalScalar(ctx: EvalContext, expr: Expr, grid: Grid): Float64Array {
  const v = ctx.eval(expr, grid);
  if (v.kind !== 'scalar') throw new PromQLError('internal', `expected a scalar, got ${v.kind}`);
  return v.values;
}

export function evalString(ctx: EvalContext, expr: Expr, grid: Grid): string {
  const v = ctx.eval(expr, grid);
  if (v.kind !== 'string') throw new PromQLError('internal', `expected a string, got ${v.kind}`);
  return v.value;
}

/** The time of step i of a grid. */
export function stepTime(grid: Grid, i: number): number {
  return grid.startMs + i * grid.stepMs;
}

import { PromQLError } from '../errors.ts';
import { dropMetricName } from '../model/labels.ts';
import type { Expr, VectorSelector } from '../parser/ast.ts';
import { evalAggregation } from './aggregate.ts';
import { evalBinary } from './binary.ts';
import type { EvalContext } from './context.ts';
import { evalCall } from './instant-call.ts';
import type { QueryLimits } from './limits.ts';
import type { FetchedData, QueryFrame } from './plan.ts';
import type { SeriesWindows } from '../model/series-source.ts';
import type { PreparedSeries } from './prepared.ts';
import { selectInstant, selectRange } from './selector.ts';
import { assertUniqueLabels } from './series-set.ts';
import type { SubexpressionMemo } from './subexpression-memo.ts';
import { subqueryAsMatrix } from './subquery.ts';
import { countSamples, type Grid, type StepSeries, type Value } from './values.ts';

/**
 * Evaluates an expression tree over a grid of steps, on data fetched beforehand. Every node
 * is evaluated once for the whole grid (not once per step), children first.
 */
export class Evaluator implements EvalContext {
  constructor(
    readonly frame: QueryFrame,
    readonly limits: QueryLimits,
    private readonly fetched: FetchedData,
    private readonly memo?: SubexpressionMemo,
  ) {}

  data(node: VectorSelector): readonly PreparedSeries[] {
    return this.fetched.series.get(node) ?? [];
  }

  windows(node: VectorSelector): readonly SeriesWindows[] | undefined {
    return this.fetched.windows.get(node);
  }

  eval(expr: Expr, grid: Grid): Value {
    this.limits.checkNow();
    const before = this.limits.current;
    const key = this.memo?.key(expr, grid, this.frame);
    const known = key === undefined ? undefined : this.memo!.get(key);
    const value = known ?? this.dispatch(expr, grid);
    this.limits.settle(before, countSamples(value));
    if (key !== undefined && known === undefined) this.memo!.set(key, value);
    return value;
  }

  private dispatch(expr: Expr, grid: Grid): Value {
    switch (expr.type) {
      case 'number':
        return { kind: 'scalar', values: new Float64Array(grid.steps).fill(expr.value) };
      case 'string':
        return { kind: 'string', value: expr.value };
      case 'paren':
        return this.eval(expr.expr, grid);
      case 'vectorSelector':
        return { kind: 'vector', series: selectInstant(this, expr, grid) };
      case 'matrixSelector':
        if (grid.steps !== 1)
          throw new PromQLError('internal', 'cannot do range evaluation of matrix selector');
        return { kind: 'matrix', series: selectRange(this, expr, grid.startMs) };
      case 'subquery':
        if (grid.steps !== 1) throw new PromQLError('internal', 'cannot do range evaluation of subquery');
        return { kind: 'matrix', series: subqueryAsMatrix(this, expr, grid) };
      case 'unary':
        return this.unary(expr.op, this.eval(expr.expr, grid));
      case 'binary':
        return evalBinary(this, expr, grid);
      case 'aggregation':
        return evalAggregation(this, expr, grid);
      case 'call':
        return evalCall(this, expr, grid);
    }
  }

  /** Unary minus negates and drops the metric name; unary plus changes nothing. */
  private unary(op: '-' | '+', value: Value): Value {
    if (op === '+') return value;
    if (value.kind === 'scalar') return { kind: 'scalar', values: value.values.map((v) => -v) };
    if (value.kind !== 'vector') throw new PromQLError('internal', `cannot negate a ${value.kind}`);
    const series: StepSeries[] = value.series.map((s) => ({
      labels: dropMetricName(s.labels),
      present: s.present,
      values: s.values.map((v) => -v),
    }));
    assertUniqueLabels(series);
    return { kind: 'vector', series };
  }
}

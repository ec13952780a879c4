/**
 * What a PromQL query selects, from its syntax tree: the metric names of its selectors and how
 * far back of an evaluation time its range selectors reach. Used to detect the step (which
 * metrics to look at) and to read a whole refresh round's samples in one select.
 */
import type { Expr } from '@vigil/promql';

export interface QuerySelectors {
  /** Metric names of the selectors that name one. */
  readonly names: Set<string>;
  /** Longest `[range]` of a matrix selector. */
  readonly maxRangeMs: number;
  /**
   * Whether every selector names its metric and none has an offset, `@` or sits in a subquery:
   * then the selectors' windows are the evaluation range minus at most the lookback or range.
   */
  readonly simple: boolean;
}

export function querySelectors(expr: Expr): QuerySelectors {
  const names = new Set<string>();
  let maxRangeMs = 0;
  let simple = true;
  const walk = (e: Expr): void => {
    switch (e.type) {
      case 'vectorSelector':
        if (e.name) names.add(e.name);
        else simple = false;
        if (e.offsetMs !== 0 || e.at !== undefined) simple = false;
        return;
      case 'matrixSelector':
        maxRangeMs = Math.max(maxRangeMs, e.rangeMs);
        return walk(e.selector);
      case 'subquery':
        simple = false;
        return walk(e.expr);
      case 'paren':
      case 'unary':
        return walk(e.expr);
      case 'aggregation':
        walk(e.expr);
        if (e.param) walk(e.param);
        return;
      case 'call':
        for (const a of e.args) walk(a);
        return;
      case 'binary':
        walk(e.lhs);
        walk(e.rhs);
        return;
      default:
        return;
    }
  };
  walk(expr);
  return { names, maxRangeMs, simple };
}

import type { Expr } from '../parser/ast.ts';
import type { QueryFrame } from './plan.ts';
import type { Grid, Value } from './values.ts';

/**
 * Values of subexpressions shared by the queries one engine evaluates, for an engine whose data
 * does not change while it lives (the metrics cache makes one per refresh round: its 300 queries
 * read one prefetch, and `rate(x[1m])` sits under a dozen of them). A node's value is keyed by
 * its text (the syntax tree without positions), the grid it is evaluated on and the query's
 * frame, which is everything its value depends on besides the data. Values are shared, never
 * copied: the evaluator never mutates a value it got from a child.
 */
export class SubexpressionMemo {
  readonly #values = new Map<string, Value>();

  /** The key of `expr` on `grid`, or undefined for nodes not worth keeping. */
  key(expr: Expr, grid: Grid, frame: QueryFrame): string | undefined {
    if (expr.type !== 'call' && expr.type !== 'aggregation' && expr.type !== 'vectorSelector') {
      return undefined;
    }
    return `${exprText(expr)}\u0000${grid.startMs}/${grid.endMs}/${grid.stepMs}/${frame.startMs}/${frame.endMs}/${frame.stepMs}`;
  }

  get(key: string): Value | undefined {
    return this.#values.get(key);
  }

  set(key: string, value: Value): void {
    this.#values.set(key, value);
  }

  get size(): number {
    return this.#values.size;
  }
}

/** Texts by node: parsed trees are reused query after query (the cache parses each text once). */
const texts = new WeakMap<Expr, string>();

const withoutPositions = (key: string, value: unknown): unknown => (key === 'pos' ? undefined : value);

function exprText(expr: Expr): string {
  let text = texts.get(expr);
  if (text === undefined) {
    text = JSON.stringify(expr, withoutPositions);
    texts.set(expr, text);
  }
  return text;
}

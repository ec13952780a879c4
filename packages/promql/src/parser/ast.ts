import type { LabelMatcher } from '@vigil/protocols';

/**
 * The typed PromQL syntax tree produced by {@link parse}. It mirrors Prometheus's own AST
 * (promql/parser/ast.go) closely enough that its evaluation rules carry over one to one:
 * offsets and `@` live on vector selectors and subqueries, a matrix selector wraps a vector
 * selector, and `-1` is folded into a number literal.
 */
export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | CallExpr
  | AggregateExpr
  | UnaryExpr
  | BinaryExpr
  | ParenExpr;

/** Value types, with Prometheus's names for them in messages ("instant vector" etc.). */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** Character offsets of a node in the query text (end exclusive). */
export interface PositionRange {
  readonly start: number;
  readonly end: number;
}

/** `@ <time>`, `@ start()` or `@ end()`; start/end are resolved per query. */
export type AtModifier =
  { readonly kind: 'time'; readonly timeMs: number } | { readonly kind: 'start' } | { readonly kind: 'end' };

export interface NumberLiteral {
  readonly type: 'number';
  readonly value: number;
  readonly pos: PositionRange;
}

export interface StringLiteral {
  readonly type: 'string';
  readonly value: string;
  readonly pos: PositionRange;
}

export interface VectorSelector {
  readonly type: 'vectorSelector';
  /** The metric name written before the braces, if any (also present as a `__name__` matcher). */
  readonly name: string | undefined;
  readonly matchers: readonly LabelMatcher[];
  /** `offset` in milliseconds; negative offsets look into the future. */
  offsetMs: number;
  at: AtModifier | undefined;
  pos: PositionRange;
}

export interface MatrixSelector {
  readonly type: 'matrixSelector';
  readonly selector: VectorSelector;
  readonly rangeMs: number;
  pos: PositionRange;
}

export interface SubqueryExpr {
  readonly type: 'subquery';
  readonly expr: Expr;
  readonly rangeMs: number;
  /** 0 when omitted (`[1h:]`): the engine's default subquery step applies. */
  readonly stepMs: number;
  offsetMs: number;
  at: AtModifier | undefined;
  pos: PositionRange;
}

export interface CallExpr {
  readonly type: 'call';
  readonly func: string;
  readonly args: readonly Expr[];
  readonly pos: PositionRange;
}

export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'count'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'quantile'
  | 'count_values';

export interface AggregateExpr {
  readonly type: 'aggregation';
  readonly op: AggregateOp;
  readonly expr: Expr;
  /** The first argument of topk, bottomk, quantile and count_values. */
  readonly param: Expr | undefined;
  /** Label names of `by (...)` or `without (...)`, sorted. */
  readonly grouping: readonly string[];
  readonly without: boolean;
  readonly pos: PositionRange;
}

export interface UnaryExpr {
  readonly type: 'unary';
  readonly op: '-' | '+';
  readonly expr: Expr;
  readonly pos: PositionRange;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type SetOp = 'and' | 'or' | 'unless';
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

export type MatchCardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

/** How the two sides of a vector/vector operation are matched (`on`/`ignoring`/`group_*`). */
export interface VectorMatching {
  readonly card: MatchCardinality;
  /** True for `on(...)`, false for `ignoring(...)` or no clause. */
  readonly on: boolean;
  readonly labels: readonly string[];
  /** Extra labels copied from the "one" side by `group_left(...)`/`group_right(...)`. */
  readonly include: readonly string[];
}

export interface BinaryExpr {
  readonly type: 'binary';
  readonly op: BinaryOp;
  readonly lhs: Expr;
  readonly rhs: Expr;
  readonly returnBool: boolean;
  /** Set only when both sides are instant vectors. */
  readonly matching: VectorMatching | undefined;
  readonly pos: PositionRange;
}

export interface ParenExpr {
  readonly type: 'paren';
  readonly expr: Expr;
  readonly pos: PositionRange;
}

export const COMPARISON_OPS: ReadonlySet<string> = new Set(['==', '!=', '>', '<', '>=', '<=']);
export const SET_OPS: ReadonlySet<string> = new Set(['and', 'or', 'unless']);

/** Prometheus's documented names of value types, used in its error messages. */
export function documentedType(type: ValueType): string {
  switch (type) {
    case 'vector':
      return 'instant vector';
    case 'matrix':
      return 'range vector';
    default:
      return type;
  }
}

/** Removes any number of enclosing parentheses. */
export function unwrapParens(expr: Expr): Expr {
  let e = expr;
  while (e.type === 'paren') e = e.expr;
  return e;
}

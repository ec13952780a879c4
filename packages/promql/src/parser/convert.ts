import type { SyntaxNode } from '@lezer/common';
import type {
  AggregateOp,
  BinaryOp,
  Expr,
  MatchCardinality,
  MatrixSelector,
  SubqueryExpr,
  VectorMatching,
  VectorSelector,
} from './ast.ts';
import { FUNCTIONS } from './functions.ts';
import { TreeReader } from './tree-reader.ts';

const BINARY_OPS: Record<string, BinaryOp> = {
  Pow: '^',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Atan2: 'atan2',
  Add: '+',
  Sub: '-',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
};

const AGGREGATE_OPS = new Set<string>([
  'sum',
  'avg',
  'min',
  'max',
  'count',
  'group',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
  'count_values',
]);
const AGGREGATES_WITH_PARAM = new Set<string>(['topk', 'bottomk', 'quantile', 'count_values']);

/**
 * Converts the lezer syntax tree of an error-free parse into the typed AST, enforcing the
 * structural rules of Prometheus 2.42's grammar that the (newer, more permissive) lezer grammar
 * does not: ranges only on selectors, one offset and one `@` per node, no duration arithmetic.
 */
export class Converter extends TreeReader {
  expr(node: SyntaxNode): Expr {
    switch (node.name) {
      case 'NumberDurationLiteral':
        return { type: 'number', value: this.number(node), pos: this.pos(node) };
      case 'StringLiteral':
        return { type: 'string', value: this.string(node), pos: this.pos(node) };
      case 'ParenExpr':
        return { type: 'paren', expr: this.expr(this.operand(node)), pos: this.pos(node) };
      case 'VectorSelector':
        return this.vectorSelector(node);
      case 'MatrixSelector':
        return this.matrixSelector(node);
      case 'SubqueryExpr':
        return this.subquery(node);
      case 'OffsetExpr':
        return this.offset(node);
      case 'StepInvariantExpr':
        return this.atModifier(node);
      case 'UnaryExpr':
        return this.unary(node);
      case 'BinaryExpr':
        return this.binary(node);
      case 'FunctionCall':
        return this.call(node);
      case 'AggregateExpr':
        return this.aggregation(node);
      default:
        return this.fail(node.from, `unsupported expression "${this.text(node)}" (not in Prometheus 2.42)`);
    }
  }

  /** The first child that is an expression. */
  private operand(node: SyntaxNode): SyntaxNode {
    const e = node.getChild('Expr');
    if (e === null) this.fail(node.from, 'missing expression');
    return e;
  }

  private vectorSelector(node: SyntaxNode): VectorSelector {
    const ident = node.getChild('Identifier');
    const name = ident === null ? undefined : this.text(ident);
    const braces = node.getChild('LabelMatchers');
    const matchers = braces === null ? [] : this.matchers(braces);
    if (name !== undefined) matchers.push({ name: '__name__', op: '=', value: name });
    return { type: 'vectorSelector', name, matchers, offsetMs: 0, at: undefined, pos: this.pos(node) };
  }

  /**
   * In PromQL, `[range]`, `[range:step]`, `offset` and `@` bind tighter than any operator
   * (`a - b offset 5m` is `a - (b offset 5m)`); lezer's grammar applies them to the whole
   * operation. This moves such a postfix down to the rightmost operand.
   */
  private postfix(node: SyntaxNode, apply: (target: Expr) => Expr): Expr {
    const sink = (e: Expr): Expr => {
      if (e.type === 'binary') return { ...e, rhs: sink(e.rhs) };
      if (e.type === 'unary') return { ...e, expr: sink(e.expr) };
      return apply(e);
    };
    return sink(this.expr(this.operand(node)));
  }

  private matrixSelector(node: SyntaxNode): Expr {
    const bracket = this.child(node, 'DurationExpr');
    const rangeMs = this.duration(bracket);
    return this.postfix(node, (inner): MatrixSelector => {
      if (inner.type !== 'vectorSelector')
        this.fail(bracket.from - 1, 'ranges only allowed for vector selectors');
      if (inner.offsetMs !== 0) this.fail(bracket.from - 1, 'no offset modifiers allowed before range');
      if (inner.at !== undefined) this.fail(bracket.from - 1, 'no @ modifiers allowed before range');
      return {
        type: 'matrixSelector',
        selector: inner,
        rangeMs,
        pos: { start: inner.pos.start, end: node.to },
      };
    });
  }

  private subquery(node: SyntaxNode): Expr {
    const durations = node.getChildren('DurationExpr');
    const range = durations[0];
    if (range === undefined) return this.fail(node.from, 'missing subquery range');
    const rangeMs = this.duration(range);
    const stepMs = durations[1] === undefined ? 0 : this.duration(durations[1]);
    return this.postfix(node, (inner): SubqueryExpr => ({
      type: 'subquery',
      expr: inner,
      rangeMs,
      stepMs,
      offsetMs: 0,
      at: undefined,
      pos: { start: inner.pos.start, end: node.to },
    }));
  }

  private offset(node: SyntaxNode): Expr {
    const offsetMs = this.duration(this.child(node, 'OffsetDurationExpr'), true);
    return this.postfix(node, (inner) => {
      const target = this.modifierTargetOf(inner, node, 'offset');
      if (target.offsetMs !== 0) this.fail(node.from, 'offset may not be set multiple times');
      target.offsetMs = offsetMs;
      target.pos = { start: target.pos.start, end: node.to };
      return inner;
    });
  }

  private atModifier(node: SyntaxNode): Expr {
    const at = this.at(node);
    return this.postfix(node, (inner) => {
      const target = this.modifierTargetOf(inner, node, '@');
      if (target.at !== undefined) this.fail(node.from, '@ <timestamp> may not be set multiple times');
      target.at = at;
      return inner;
    });
  }

  /** The node an `offset` or `@` applies to: a selector or a subquery, never in parentheses. */
  private modifierTargetOf(inner: Expr, node: SyntaxNode, what: string): VectorSelector | SubqueryExpr {
    if (inner.type === 'vectorSelector' || inner.type === 'subquery') return inner;
    if (inner.type === 'matrixSelector') return inner.selector;
    return this.fail(
      node.from,
      `${what} modifier must be preceded by an instant vector selector or range vector selector or a subquery`,
    );
  }

  private unary(node: SyntaxNode): Expr {
    const op = this.text(this.child(node, 'UnaryOp')) === '-' ? '-' : '+';
    const operand = this.expr(this.operand(node));
    if (operand.type === 'number') {
      return { type: 'number', value: op === '-' ? -operand.value : operand.value, pos: this.pos(node) };
    }
    return { type: 'unary', op, expr: operand, pos: this.pos(node) };
  }

  private binary(node: SyntaxNode): Expr {
    const [lhsNode, rhsNode] = node.getChildren('Expr');
    if (lhsNode === undefined || rhsNode === undefined)
      return this.fail(node.from, 'incomplete binary expression');
    let opNode = lhsNode.nextSibling;
    while (opNode !== null && BINARY_OPS[opNode.name] === undefined) opNode = opNode.nextSibling;
    if (opNode === null) return this.fail(lhsNode.to, `unsupported binary operator (not in Prometheus 2.42)`);
    if (node.getChild('FillModifier') !== null) this.fail(opNode.from, 'fill modifiers are not supported');
    const op = BINARY_OPS[opNode.name]!;
    const returnBool = node.getChild('BoolModifier') !== null;
    const matching = this.matching(node.getChild('MatchingModifierClause'));
    const rhs = this.expr(rhsNode);
    // lezer binds a sign to a number literal ("-2" is one token), but in PromQL unary minus
    // binds more loosely than "^": -2^2 is -(2^2).
    const lhsText = this.text(lhsNode);
    if (op === '^' && lhsNode.name === 'NumberDurationLiteral' && /^[+-]/.test(lhsText)) {
      const magnitude = Math.abs(this.number(lhsNode));
      const pow: Expr = {
        type: 'binary',
        op,
        lhs: { type: 'number', value: Number.isNaN(magnitude) ? NaN : magnitude, pos: this.pos(lhsNode) },
        rhs,
        returnBool,
        matching,
        pos: this.pos(node),
      };
      return lhsText.startsWith('-') ? { type: 'unary', op: '-', expr: pow, pos: this.pos(node) } : pow;
    }
    return { type: 'binary', op, lhs: this.expr(lhsNode), rhs, returnBool, matching, pos: this.pos(node) };
  }

  private matching(clause: SyntaxNode | null): VectorMatching {
    if (clause === null) return { card: 'one-to-one', on: false, labels: [], include: [] };
    const groups = clause.getChildren('GroupingLabels');
    let card: MatchCardinality = 'one-to-one';
    if (clause.getChild('GroupLeft') !== null) card = 'many-to-one';
    if (clause.getChild('GroupRight') !== null) card = 'one-to-many';
    return {
      card,
      on: clause.getChild('On') !== null,
      labels: groups[0] === undefined ? [] : this.groupingLabels(groups[0]),
      include: groups[1] === undefined ? [] : this.groupingLabels(groups[1]),
    };
  }

  private call(node: SyntaxNode): Expr {
    const ident = this.child(node, 'FunctionIdentifier');
    const name = this.text(ident);
    if (!FUNCTIONS.has(name)) this.fail(ident.from, `unknown function with name "${name}"`);
    const body = this.child(node, 'FunctionCallBody');
    const args = body.getChildren('Expr').map((a) => this.expr(a));
    return { type: 'call', func: name, args, pos: this.pos(node) };
  }

  private aggregation(node: SyntaxNode): Expr {
    const opNode = this.child(node, 'AggregateOp');
    const op = this.text(opNode).toLowerCase();
    if (!AGGREGATE_OPS.has(op)) this.fail(opNode.from, `unknown function with name "${this.text(opNode)}"`);
    const body = this.child(node, 'FunctionCallBody');
    const args = body.getChildren('Expr');
    const modifier = node.getChild('AggregateModifier');
    const grouping = modifier === null ? [] : this.groupingLabels(this.child(modifier, 'GroupingLabels'));
    const without = modifier !== null && modifier.getChild('Without') !== null;
    if (args.length === 0) this.fail(node.from, 'no arguments for aggregate expression provided');
    const desired = AGGREGATES_WITH_PARAM.has(op) ? 2 : 1;
    if (args.length !== desired) {
      this.fail(
        node.from,
        `wrong number of arguments for aggregate expression provided, expected ${desired}, got ${args.length}`,
      );
    }
    return {
      type: 'aggregation',
      op: op as AggregateOp,
      expr: this.expr(args[desired - 1]!),
      param: desired === 2 ? this.expr(args[0]!) : undefined,
      grouping: [...grouping].sort(),
      without,
      pos: this.pos(node),
    };
  }
}

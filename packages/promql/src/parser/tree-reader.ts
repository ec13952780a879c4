import type { SyntaxNode } from '@lezer/common';
import type { LabelMatcher, MatchOp } from '@vigil/protocols';
import { parseError } from '../errors.ts';
import type { AtModifier, PositionRange } from './ast.ts';
import { parseDuration, parseNumber, unquoteString } from './literals.ts';

/**
 * Reads the leaves of the lezer tree (strings, durations, matchers, grouping labels, `@`
 * values) and turns problems into parse errors that carry the query position. The expression
 * structure itself is converted in convert.ts.
 */
export class TreeReader {
  constructor(readonly query: string) {}

  text(node: SyntaxNode): string {
    return this.query.slice(node.from, node.to);
  }

  pos(node: SyntaxNode): PositionRange {
    return { start: node.from, end: node.to };
  }

  fail(offset: number, message: string): never {
    throw parseError(this.query, offset, message);
  }

  child(node: SyntaxNode, name: string): SyntaxNode {
    const c = node.getChild(name);
    if (c === null) this.fail(node.from, `unexpected ${node.name}: missing ${name}`);
    return c;
  }

  string(node: SyntaxNode): string {
    const r = unquoteString(this.text(node));
    if ('error' in r) this.fail(node.from, r.error);
    return r.value;
  }

  /** A `DurationExpr` or `OffsetDurationExpr` that must be a plain positive duration literal. */
  duration(node: SyntaxNode, allowNegative = false): number {
    let sign = 1;
    let n: SyntaxNode = node;
    for (;;) {
      const unary = n.getChild('UnaryOp');
      const inner = n.getChild('OffsetDurationExpr') ?? n.getChild('DurationExpr');
      if (unary !== null && inner !== null) {
        if (!allowNegative) this.fail(n.from, 'unexpected sign in duration');
        if (this.text(unary) === '-') sign = -sign;
        n = inner;
        continue;
      }
      break;
    }
    const literal = n.getChild('NumberDurationLiteralInDurationContext');
    if (literal === null || n.firstChild?.from !== literal.from || n.lastChild?.to !== literal.to) {
      this.fail(n.from, 'duration expressions are not supported in Prometheus 2.42');
    }
    const parsed = parseDuration(this.text(literal));
    if (typeof parsed === 'string') this.fail(literal.from, `bad duration syntax: "${this.text(literal)}"`);
    if (parsed === 0) this.fail(literal.from, 'duration must be greater than 0');
    return sign * parsed;
  }

  /** A number literal; a duration written where a number belongs is an error in 2.42. */
  number(node: SyntaxNode): number {
    const text = this.text(node);
    const value = parseNumber(text);
    if (value === undefined) {
      if (/^[+-]?\s*\d+(ms|[smhdwy])/.test(text)) this.fail(node.from, `unexpected duration "${text}"`);
      this.fail(node.from, `bad number syntax: "${text}"`);
    }
    return value;
  }

  /** The `(a, b)` of by/without/on/ignoring/group_left; names in source order. */
  groupingLabels(node: SyntaxNode): string[] {
    const names: string[] = [];
    for (let c = node.firstChild; c !== null; c = c.nextSibling) {
      if (c.name === 'LabelName') names.push(this.text(c));
      else if (c.name === 'QuotedLabelName') this.fail(c.from, 'quoted label names are not supported');
    }
    return names;
  }

  matchers(node: SyntaxNode): LabelMatcher[] {
    const out: LabelMatcher[] = [];
    for (let c = node.firstChild; c !== null; c = c.nextSibling) {
      if (c.name === 'UnquotedLabelMatcher') {
        const name = this.text(this.child(c, 'LabelName'));
        const op = this.text(this.child(c, 'MatchOp')) as MatchOp;
        out.push({ name, op, value: this.string(this.child(c, 'StringLiteral')) });
      } else if (c.name === 'QuotedLabelMatcher' || c.name === 'QuotedLabelName') {
        this.fail(c.from, 'quoted label names are not supported');
      }
    }
    return out;
  }

  /** The right side of `@`: a number of seconds, `start()` or `end()`. */
  at(node: SyntaxNode): AtModifier {
    const pre = node.getChild('AtModifierPreprocessors');
    if (pre !== null) return { kind: pre.getChild('AtStart') !== null ? 'start' : 'end' };
    const literal = this.child(node, 'NumberDurationLiteral');
    const seconds = this.number(literal);
    if (!Number.isFinite(seconds) || Math.abs(seconds) >= 9.223372036854776e18) {
      this.fail(literal.from, `timestamp out of bounds for @ modifier: ${seconds}`);
    }
    // Go's math.Round: halves away from zero.
    return { kind: 'time', timeMs: Math.sign(seconds) * Math.round(Math.abs(seconds * 1000)) };
  }
}

import { describe, expect, it } from 'vitest';
import { isPromQLError } from '../errors.ts';
import type { Expr } from './ast.ts';
import { typeOf } from './check.ts';
import { parse } from './parse.ts';

/** A compact rendering of the AST: enough to see structure, modifiers and folding. */
function show(e: Expr): string {
  switch (e.type) {
    case 'number':
      return String(e.value);
    case 'string':
      return JSON.stringify(e.value);
    case 'vectorSelector': {
      const m = e.matchers.map((x) => `${x.name}${x.op}${JSON.stringify(x.value)}`).join(',');
      const at = e.at === undefined ? '' : ` @${e.at.kind === 'time' ? e.at.timeMs : e.at.kind}`;
      return `{${m}}${e.offsetMs !== 0 ? ` offset ${e.offsetMs}` : ''}${at}`;
    }
    case 'matrixSelector':
      return `${show(e.selector)}[${e.rangeMs}]`;
    case 'subquery':
      return `(${show(e.expr)})[${e.rangeMs}:${e.stepMs}]${e.offsetMs !== 0 ? ` offset ${e.offsetMs}` : ''}`;
    case 'call':
      return `${e.func}(${e.args.map(show).join(', ')})`;
    case 'aggregation':
      return `${e.op}${e.without ? ' without' : ' by'}(${e.grouping.join(',')})(${e.param ? `${show(e.param)}, ` : ''}${show(e.expr)})`;
    case 'unary':
      return `${e.op}(${show(e.expr)})`;
    case 'paren':
      return `(${show(e.expr)})`;
    case 'binary': {
      const m = e.matching;
      const mod =
        m === undefined
          ? ''
          : ` ${m.card}${m.on ? ' on' : ' ignoring'}(${m.labels.join(',')})(${m.include.join(',')})`;
      return `[${show(e.lhs)} ${e.op}${e.returnBool ? ' bool' : ''}${mod} ${show(e.rhs)}]`;
    }
  }
}

describe('parse', () => {
  it.each([
    ['foo', '{__name__="foo"}'],
    ['foo{a="b", c!~"d.*",}', '{a="b",c!~"d.*",__name__="foo"}'],
    ['{job=~"a|b"}', '{job=~"a|b"}'],
    ['foo offset 1h30m', '{__name__="foo"} offset 5400000'],
    ['foo offset -5m @ 1.5', '{__name__="foo"} offset -300000 @1500'],
    ['foo @ end()', '{__name__="foo"} @end'],
    ['foo[1d] @ start()', '{__name__="foo"} @start[86400000]'],
    ['foo[1w] offset 1y', '{__name__="foo"} offset 31536000000[604800000]'],
    ['foo[5m:]', '({__name__="foo"})[300000:0]'],
    ['rate(foo[5m])[30m:1m] offset 10m', '(rate({__name__="foo"}[300000]))[1800000:60000] offset 600000'],
    ['a - b offset 5m', '[{__name__="a"} - one-to-one ignoring()() {__name__="b"} offset 300000]'],
    ['-2 ^ 2', '-([2 ^ 2])'],
    ['2 ^ 3 ^ 2', '[2 ^ [3 ^ 2]]'],
    ['1 - -1', '[1 - -1]'],
    ['-foo', '-({__name__="foo"})'],
    ['0x1f + 010 + 1e3 + .5 + Inf + -inf', '[[[[[31 + 8] + 1000] + 0.5] + Infinity] + -Infinity]'],
    ['sum by (b, a) (x)', 'sum by(a,b)({__name__="x"})'],
    ['SUM(x) WITHOUT (a)', 'sum without(a)({__name__="x"})'],
    ['topk(3, x)', 'topk by()(3, {__name__="x"})'],
    ['count_values("v", x)', 'count_values by()("v", {__name__="x"})'],
    ['a * on(b) group_left(c) d', '[{__name__="a"} * many-to-one on(b)(c) {__name__="d"}]'],
    ['a / ignoring(b) group_right d', '[{__name__="a"} / one-to-many ignoring(b)() {__name__="d"}]'],
    ['a and b', '[{__name__="a"} and many-to-many ignoring()() {__name__="b"}]'],
    ['a > bool 1', '[{__name__="a"} > bool 1]'],
    ['"a\\nb" ', '"a\\nb"'],
    ["'it\\'s'", '"it\'s"'],
    ['`raw\\n`', '"raw\\\\n"'],
    ['holt_winters(x[5m], 0.5, 0.1)', 'holt_winters({__name__="x"}[300000], 0.5, 0.1)'],
    ['# comment\nfoo # trailing', '{__name__="foo"}'],
    ['sum', '{__name__="sum"}'],
    ['label_join(x, "d", ",", "a", "b", "c")', 'label_join({__name__="x"}, "d", ",", "a", "b", "c")'],
  ])('parses %j', (query, expected) => {
    expect(show(parse(query))).toBe(expected);
  });

  it.each([
    ['rate(x[5m])', 'vector'],
    ['x[5m]', 'matrix'],
    ['(x[5m])', 'matrix'],
    ['x[5m:1m]', 'matrix'],
    ['scalar(x)', 'scalar'],
    ['1 + time()', 'scalar'],
    ['1 + x', 'vector'],
    ['"s"', 'string'],
  ])('types %s as %s', (query, type) => {
    expect(typeOf(parse(query))).toBe(type);
  });

  it.each([
    ['', '1:1: parse error: no expression found in input'],
    ['sum(x', '1:6: parse error: unexpected end of input'],
    ['foo(x)', '1:4: parse error: unknown function with name "foo"'],
    ['sort_by_label(x)', 'unknown function with name "sort_by_label"'],
    [
      'rate(x)',
      '1:6: parse error: expected type range vector in call to function "rate", got instant vector',
    ],
    ['sum(x[5m])', 'expected type instant vector in aggregation expression, got range vector'],
    ['topk("a", x)', 'expected type scalar in aggregation parameter, got string'],
    ['round(x, 1, 2)', 'expected at most 2 argument(s) in call to "round", got 3'],
    ['label_join(x, "a")', 'expected at least 3 argument(s) in call to "label_join", got 2'],
    ['time(1)', 'expected 0 argument(s) in call to "time", got 1'],
    ['1 > 2', 'comparisons between scalars must use BOOL modifier'],
    ['a + bool b', 'bool modifier can only be used on comparison operators'],
    ['a and on(x) group_left b', 'no grouping allowed for "and" operation'],
    ['a or 1', 'set operator "or" not allowed in binary scalar expression'],
    ['1 + on(a) 2', 'vector matching only allowed between instant vectors'],
    ['a + on(b) group_left(b) c', 'label "b" must not occur in ON and GROUP clause at once'],
    ['x[5m] + 1', 'binary expression must contain only scalar and instant vector types'],
    [
      '-x[5m]',
      'unary expression only allowed on expressions of type scalar or instant vector, got "range vector"',
    ],
    ['rate(x[5m])[5m]', 'ranges only allowed for vector selectors'],
    ['x offset 5m [5m]', 'no offset modifiers allowed before range'],
    ['x @ 5 [5m]', 'no @ modifiers allowed before range'],
    ['x offset 5m offset 1m', 'offset may not be set multiple times'],
    ['x @ 1 @ 2', '@ <timestamp> may not be set multiple times'],
    ['sum(x) offset 5m', 'offset modifier must be preceded by an instant vector selector'],
    ['x[5m:1m][1m:1m]', 'subquery is only allowed on instant vector, got matrix instead'],
    ['{}', 'vector selector must contain at least one non-empty matcher'],
    ['{a=~".*", b=""}', 'vector selector must contain at least one non-empty matcher'],
    ['foo{__name__="bar"}', 'metric name must not be set twice: "foo" or "bar"'],
    ['x{a=~"("}', 'invalid regular expression'],
    ['x[0s]', 'duration must be greater than 0'],
    ['x[5]', 'bad duration syntax: "5"'],
    ['x[5m1h]', '1:5: parse error: unexpected "1h"'],
    ['x[5m+1m]', 'duration expressions are not supported'],
    ['x > 5m', 'unexpected duration "5m"'],
    ['"unterminated', 'unterminated quoted string'],
    ['"bad \\q"', 'unknown escape sequence \\q'],
    ['limitk(1, x)', 'unknown function with name "limitk"'],
    [
      'x and\n\n  y[5m]',
      '3:3: parse error: binary expression must contain only scalar and instant vector types',
    ],
  ])('rejects %j: %s', (query, message) => {
    let err: unknown;
    try {
      parse(query);
    } catch (e) {
      err = e;
    }
    expect(isPromQLError(err) && err.type).toBe('bad_data');
    expect((err as Error).message).toContain(message);
  });
});

import type { LabelMatcher } from '@vigil/protocols';
import { parseError } from '../errors.ts';
import { compileAnchoredRegex } from '../model/regex.ts';
import {
  COMPARISON_OPS,
  SET_OPS,
  documentedType,
  type Expr,
  type ValueType,
  type VectorMatching,
  type VectorSelector,
} from './ast.ts';
import { FUNCTIONS } from './functions.ts';

/** The value type an expression evaluates to. */
export function typeOf(expr: Expr): ValueType {
  switch (expr.type) {
    case 'number':
      return 'scalar';
    case 'string':
      return 'string';
    case 'vectorSelector':
    case 'aggregation':
      return 'vector';
    case 'matrixSelector':
    case 'subquery':
      return 'matrix';
    case 'call':
      return FUNCTIONS.get(expr.func)?.returnType ?? 'vector';
    case 'unary':
    case 'paren':
      return typeOf(expr.expr);
    case 'binary':
      return typeOf(expr.lhs) === 'scalar' && typeOf(expr.rhs) === 'scalar' ? 'scalar' : 'vector';
  }
}

/**
 * Type-checks the tree the way Prometheus's parser does (promql/parser/parse.go checkAST),
 * with its messages, and returns it with vector matching normalised: set operators match
 * many-to-many, and operations with a scalar side carry no matching.
 */
export function checkExpr(expr: Expr, query: string): Expr {
  const fail = (offset: number, message: string): never => {
    throw parseError(query, offset, message);
  };
  const expect = (e: Expr, want: ValueType, context: string): Expr => {
    const checked = checkExpr(e, query);
    const got = typeOf(checked);
    if (got !== want)
      fail(e.pos.start, `expected type ${documentedType(want)} in ${context}, got ${documentedType(got)}`);
    return checked;
  };

  switch (expr.type) {
    case 'number':
    case 'string':
      return expr;
    case 'vectorSelector':
      checkSelector(expr, fail);
      return expr;
    case 'matrixSelector':
      checkSelector(expr.selector, fail);
      return expr;
    case 'paren':
      return { ...expr, expr: checkExpr(expr.expr, query) };
    case 'subquery': {
      const inner = checkExpr(expr.expr, query);
      const t = typeOf(inner);
      if (t !== 'vector')
        fail(expr.pos.start, `subquery is only allowed on instant vector, got ${t} instead`);
      return { ...expr, expr: inner };
    }
    case 'unary': {
      const inner = checkExpr(expr.expr, query);
      const t = typeOf(inner);
      if (t !== 'scalar' && t !== 'vector') {
        fail(
          expr.pos.start,
          `unary expression only allowed on expressions of type scalar or instant vector, got "${documentedType(t)}"`,
        );
      }
      return { ...expr, expr: inner };
    }
    case 'aggregation': {
      const inner = expect(expr.expr, 'vector', 'aggregation expression');
      let param = expr.param;
      if (param !== undefined) {
        param = expect(param, expr.op === 'count_values' ? 'string' : 'scalar', 'aggregation parameter');
      }
      return { ...expr, expr: inner, param };
    }
    case 'call': {
      const fn = FUNCTIONS.get(expr.func);
      if (fn === undefined) return fail(expr.pos.start, `unknown function with name "${expr.func}"`);
      const nargs = fn.argTypes.length;
      const got = expr.args.length;
      if (fn.variadic === 0) {
        if (nargs !== got)
          fail(expr.pos.start, `expected ${nargs} argument(s) in call to "${fn.name}", got ${got}`);
      } else if (nargs - 1 > got) {
        fail(
          expr.pos.start,
          `expected at least ${nargs - 1} argument(s) in call to "${fn.name}", got ${got}`,
        );
      } else if (fn.variadic > 0 && nargs - 1 + fn.variadic < got) {
        fail(
          expr.pos.start,
          `expected at most ${nargs - 1 + fn.variadic} argument(s) in call to "${fn.name}", got ${got}`,
        );
      }
      const args = expr.args.map((a, i) =>
        expect(a, fn.argTypes[Math.min(i, nargs - 1)]!, `call to function "${fn.name}"`),
      );
      return { ...expr, args };
    }
    case 'binary': {
      const lhs = checkExpr(expr.lhs, query);
      const rhs = checkExpr(expr.rhs, query);
      const lt = typeOf(lhs);
      const rt = typeOf(rhs);
      const at = expr.lhs.pos.end;
      const isComparison = COMPARISON_OPS.has(expr.op);
      const isSet = SET_OPS.has(expr.op);
      if (expr.returnBool && !isComparison)
        fail(at, 'bool modifier can only be used on comparison operators');
      if (isComparison && !expr.returnBool && lt === 'scalar' && rt === 'scalar') {
        fail(at, 'comparisons between scalars must use BOOL modifier');
      }
      let matching: VectorMatching | undefined = expr.matching;
      if (matching !== undefined) {
        if (isSet && matching.card === 'one-to-one') matching = { ...matching, card: 'many-to-many' };
        if (matching.on) {
          for (const l of matching.labels) {
            if (matching.include.includes(l))
              fail(at, `label "${l}" must not occur in ON and GROUP clause at once`);
          }
        }
      }
      if (lt !== 'scalar' && lt !== 'vector') {
        fail(expr.lhs.pos.start, 'binary expression must contain only scalar and instant vector types');
      }
      if (rt !== 'scalar' && rt !== 'vector') {
        fail(expr.rhs.pos.start, 'binary expression must contain only scalar and instant vector types');
      }
      if (lt !== 'vector' || rt !== 'vector') {
        if (matching !== undefined && matching.labels.length > 0) {
          fail(expr.pos.start, 'vector matching only allowed between instant vectors');
        }
        matching = undefined;
      } else if (isSet && matching !== undefined) {
        if (matching.card === 'one-to-many' || matching.card === 'many-to-one') {
          fail(expr.pos.start, `no grouping allowed for "${expr.op}" operation`);
        }
      }
      if ((lt === 'scalar' || rt === 'scalar') && isSet) {
        fail(expr.pos.start, `set operator "${expr.op}" not allowed in binary scalar expression`);
      }
      return { ...expr, lhs, rhs, matching };
    }
  }
}

function matchesEmpty(
  m: LabelMatcher,
  fail: (offset: number, message: string) => never,
  at: number,
): boolean {
  switch (m.op) {
    case '=':
      return m.value === '';
    case '!=':
      return m.value !== '';
    case '=~':
    case '!~': {
      let re: RegExp;
      try {
        re = compileAnchoredRegex(m.value);
      } catch (err) {
        return fail(at, `invalid regular expression "${m.value}": ${(err as Error).message}`);
      }
      return re.test('') === (m.op === '=~');
    }
  }
}

function checkSelector(vs: VectorSelector, fail: (offset: number, message: string) => never): void {
  const at = vs.pos.start;
  let notEmpty = false;
  for (const m of vs.matchers) if (!matchesEmpty(m, fail, at)) notEmpty = true;
  if (vs.name !== undefined) {
    // The name written before the braces is the last matcher; another __name__ matcher clashes.
    for (const m of vs.matchers.slice(0, -1)) {
      if (m.name === '__name__') fail(at, `metric name must not be set twice: "${vs.name}" or "${m.value}"`);
    }
    return;
  }
  if (!notEmpty) fail(at, 'vector selector must contain at least one non-empty matcher');
}

import type { SyntaxNode, Tree } from '@lezer/common';
import { parser as lezerParser } from '@prometheus-io/lezer-promql';
import { parseError } from '../errors.ts';
import type { Expr } from './ast.ts';
import { checkExpr } from './check.ts';
import { Converter } from './convert.ts';

/**
 * Parses and type-checks a PromQL expression (Prometheus 2.42 syntax). Throws a
 * {@link PromQLError} of type `bad_data` whose message starts with `line:column:` on syntax
 * and type errors. Uses the lezer grammar Prometheus publishes for its UI for tokenising and
 * structure, then applies 2.42's stricter rules while building the AST.
 */
export function parse(query: string): Expr {
  const tree = lezerParser.parse(forLezer(query));
  const top = tree.topNode.getChild('Expr');
  if (top === null || /^\s*(#[^\n]*\s*)*$/.test(query))
    throw parseError(query, 0, 'no expression found in input');
  const error = firstError(tree);
  if (error !== undefined) throw parseError(query, error.from, describeError(query, error));
  const converter = new Converter(query);
  return checkExpr(converter.expr(top), query);
}

/**
 * lezer's grammar follows current Prometheus, where holt_winters is gone; 2.42 still has it.
 * Renaming it to a known function of the same length keeps every position intact (the AST
 * takes names from the original text).
 */
function forLezer(query: string): string {
  return query.replace(/\bholt_winters(?=\s*\()/g, 'day_of_month');
}

function firstError(tree: Tree): SyntaxNode | undefined {
  let found: SyntaxNode | undefined;
  tree.iterate({
    enter: (ref) => {
      if (found !== undefined) return false;
      if (ref.type.isError) {
        found = ref.node;
        return false;
      }
      return undefined;
    },
  });
  return found;
}

function describeError(query: string, error: SyntaxNode): string {
  const text = query.slice(error.from, error.to);
  // `foo(x)` with an unknown `foo` parses as a selector followed by an unexpected "(".
  const selector = error.parent?.name === 'VectorSelector' ? error.parent : error.prevSibling;
  if (text.startsWith('(') && selector !== null && selector.name === 'VectorSelector') {
    const name = query.slice(selector.from, error.from).trim();
    if (/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) return `unknown function with name "${name}"`;
  }
  if (error.from >= query.trimEnd().length) return 'unexpected end of input';
  const shown = text.trim() === '' ? query.slice(error.from, error.from + 1) : text;
  return `unexpected ${JSON.stringify(shown.slice(0, 20))}`;
}

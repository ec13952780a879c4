import type { Label } from '@vigil/protocols';
import { METRIC_NAME, normalizeLabels, type Labels } from '../model/labels.ts';
import { unwrapParens, type Expr } from '../parser/ast.ts';

/**
 * The labels `absent()` and `absent_over_time()` give their result: the equality matchers of
 * a selector argument, except `__name__`. As in Prometheus, a label matched more than once
 * (`x{job="a",job="b"}`) is left out; any other expression gives no labels.
 */
export function absentLabels(arg: Expr): Labels {
  const e = unwrapParens(arg);
  const selector = e.type === 'vectorSelector' ? e : e.type === 'matrixSelector' ? e.selector : undefined;
  if (selector === undefined) return [];
  const has = new Set<string>();
  const out = new Map<string, string>();
  for (const m of selector.matchers) {
    if (m.name === METRIC_NAME) continue;
    if (m.op === '=' && !has.has(m.name)) {
      out.set(m.name, m.value);
      has.add(m.name);
    } else {
      out.delete(m.name);
    }
  }
  const labels: Label[] = [...out].map(([name, value]) => ({ name, value }));
  return normalizeLabels(labels);
}

import type { LabelMatcher } from '@vigil/protocols';
import type { AtModifier, Expr, VectorSelector } from '../parser/ast.ts';
import type { SelectHints, SeriesSource } from '../model/series-source.ts';
import { prepareAll, type PreparedSeries } from './prepared.ts';

/** Query-wide settings the planner and evaluator share. */
export interface QueryFrame {
  readonly startMs: number;
  readonly endMs: number;
  /** 0 for instant queries. */
  readonly stepMs: number;
  readonly lookbackMs: number;
  readonly defaultSubqueryStepMs: number;
}

/** Resolves `@ start()`/`@ end()` against the query's range. */
export function atTimeMs(at: AtModifier, frame: QueryFrame): number {
  if (at.kind === 'time') return at.timeMs;
  return at.kind === 'start' ? frame.startMs : frame.endMs;
}

interface SelectorNeed {
  readonly node: VectorSelector;
  readonly startMs: number;
  readonly endMs: number;
  readonly hints: SelectHints;
}

/**
 * Finds every vector selector of the query with the time window it needs, computed as
 * Prometheus does (engine.go getTimeRangesForSelector): the query range, moved back by
 * enclosing subqueries' ranges and offsets (reset by an `@` on a subquery), by the lookback
 * delta or the matrix range, and by the selector's own offset; an `@` on the selector pins it.
 */
export function collectSelectors(expr: Expr, frame: QueryFrame): SelectorNeed[] {
  const needs: SelectorNeed[] = [];
  const visit = (e: Expr, path: Expr[]): void => {
    const down = (child: Expr): void => visit(child, [...path, e]);
    switch (e.type) {
      case 'vectorSelector':
        needs.push(selectorNeed(e, path, frame));
        return;
      case 'matrixSelector':
        return down(e.selector);
      case 'subquery':
      case 'paren':
      case 'unary':
        return down(e.expr);
      case 'aggregation':
        if (e.param !== undefined) down(e.param);
        return down(e.expr);
      case 'call':
        return e.args.forEach(down);
      case 'binary':
        down(e.lhs);
        return down(e.rhs);
      default:
        return;
    }
  };
  visit(expr, []);
  return needs;
}

function selectorNeed(node: VectorSelector, path: readonly Expr[], frame: QueryFrame): SelectorNeed {
  let start = frame.startMs;
  let end = frame.endMs;
  let subqOffset = 0;
  let subqRange = 0;
  let subqAt: number | undefined;
  let stepMs = frame.stepMs;
  for (const p of path) {
    if (p.type !== 'subquery') continue;
    stepMs = p.stepMs > 0 ? p.stepMs : frame.defaultSubqueryStepMs;
    subqOffset += p.offsetMs;
    subqRange += p.rangeMs;
    if (p.at !== undefined) {
      subqOffset = p.offsetMs;
      subqRange = p.rangeMs;
      subqAt = atTimeMs(p.at, frame);
    }
  }
  if (subqAt !== undefined) start = end = subqAt;
  if (node.at !== undefined) {
    start = end = atTimeMs(node.at, frame);
  } else {
    start -= subqOffset + subqRange;
    end -= subqOffset;
  }
  const parent = path[path.length - 1];
  const rangeMs = parent?.type === 'matrixSelector' ? parent.rangeMs : 0;
  start -= rangeMs === 0 ? frame.lookbackMs : rangeMs;
  start -= node.offsetMs;
  end -= node.offsetMs;
  const aggregation = parent?.type === 'aggregation' ? parent : undefined;
  return {
    node,
    startMs: start,
    endMs: end,
    hints: {
      startMs: start,
      endMs: end,
      stepMs,
      rangeMs,
      func: enclosingFunction(path),
      by: aggregation !== undefined && !aggregation.without,
      grouping: aggregation?.grouping ?? [],
    },
  };
}

/** The closest enclosing function or aggregation, unless a binary operation comes first. */
function enclosingFunction(path: readonly Expr[]): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const p = path[i]!;
    if (p.type === 'aggregation') return p.op;
    if (p.type === 'call') return p.func;
    if (p.type === 'binary') return undefined;
  }
  return undefined;
}

function matchersKey(matchers: readonly LabelMatcher[]): string {
  return matchers
    .map((m) => `${m.name}\xff${m.op}\xff${m.value}`)
    .sort()
    .join('\xfe');
}

/**
 * Fetches the data of every selector once: selectors with the same matchers share one
 * `select` over the union of their windows (their hints then only keep what they agree on).
 */
export async function fetchSelectors(
  needs: readonly SelectorNeed[],
  source: SeriesSource,
  signal: AbortSignal | undefined,
): Promise<Map<VectorSelector, PreparedSeries[]>> {
  const groups = new Map<string, SelectorNeed[]>();
  for (const need of needs) {
    const key = matchersKey(need.node.matchers);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [need]);
    else group.push(need);
  }
  const out = new Map<VectorSelector, PreparedSeries[]>();
  await Promise.all(
    [...groups.values()].map(async (group) => {
      const first = group[0]!;
      const startMs = Math.min(...group.map((g) => g.startMs));
      const endMs = Math.max(...group.map((g) => g.endMs));
      const hints = group.length === 1 ? first.hints : mergeHints(group, startMs, endMs);
      const data = await source.select(first.node.matchers, startMs, endMs, signal, hints);
      const prepared = prepareAll(data);
      for (const g of group) out.set(g.node, prepared);
    }),
  );
  return out;
}

function mergeHints(group: readonly SelectorNeed[], startMs: number, endMs: number): SelectHints {
  const h = group[0]!.hints;
  const same = group.every(
    (g) =>
      g.hints.func === h.func &&
      g.hints.rangeMs === h.rangeMs &&
      g.hints.stepMs === h.stepMs &&
      g.hints.by === h.by &&
      g.hints.grouping.join(',') === h.grouping.join(','),
  );
  if (same) return { ...h, startMs, endMs };
  return { startMs, endMs, stepMs: h.stepMs, rangeMs: 0, func: undefined, by: false, grouping: [] };
}

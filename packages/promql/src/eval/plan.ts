import type { LabelMatcher } from '@vigil/protocols';
import type { AtModifier, Expr, VectorSelector } from '../parser/ast.ts';
import type { SelectHints, SeriesSource, SeriesWindows, WindowRequest } from '../model/series-source.ts';
import { SUMMARY_FUNCTIONS } from '../functions/window-summary.ts';
import { compareLabels, normalizeLabels } from '../model/labels.ts';
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
  /** Set when the selector's only use is a function a window summary answers (see fetchSelectors). */
  readonly windowed: boolean;
  /**
   * Set for an instant-vector selector that could be read as windows of the lookback (the
   * newest value and whether a staleness marker follows it), when the source prefers that.
   */
  readonly instant: boolean;
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
  const call = path[path.length - 2];
  const inSubquery = path.some((p) => p.type === 'subquery');
  const windowed =
    rangeMs > 0 &&
    node.at === undefined &&
    call?.type === 'call' &&
    SUMMARY_FUNCTIONS.has(call.func) &&
    !inSubquery;
  const instant = rangeMs === 0 && node.at === undefined && !inSubquery;
  return {
    node,
    windowed: windowed || instant,
    instant,
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

/** What the evaluator reads: raw series per selector, or window summaries per selector. */
export interface FetchedData {
  readonly series: Map<VectorSelector, PreparedSeries[]>;
  readonly windows: Map<VectorSelector, SeriesWindows[]>;
}

/**
 * Fetches the data of every selector once: selectors with the same matchers share one
 * `select` over the union of their windows (their hints then only keep what they agree on).
 * When the source can summarize range windows, a selector used only by such a function
 * (`rate(x[5m])`, not inside a subquery, no `@`) gets summaries of the query grid's windows
 * instead, so the store does the per-sample work and sends a few figures per step.
 */
export async function fetchSelectors(
  needs: readonly SelectorNeed[],
  source: SeriesSource,
  frame: QueryFrame,
  signal: AbortSignal | undefined,
): Promise<FetchedData> {
  const groups = new Map<string, SelectorNeed[]>();
  const windowGroups = new Map<string, SelectorNeed[]>();
  for (const need of needs) {
    const request = windowRequest(need, frame);
    // Instant selectors only when the source asks for them: summaries from samples cost more
    // than the samples (only pre-computed ones pay off).
    const windowed =
      need.windowed &&
      source.selectWindows !== undefined &&
      (need.instant ? source.prefersWindows?.(request) === true : (source.prefersWindows?.(request) ?? true));
    const key = windowed
      ? `${matchersKey(need.node.matchers)}\xfd${request.rangeMs}\xfd${need.node.offsetMs}`
      : matchersKey(need.node.matchers);
    const into = windowed ? windowGroups : groups;
    const group = into.get(key);
    if (group === undefined) into.set(key, [need]);
    else group.push(need);
  }
  const series = new Map<VectorSelector, PreparedSeries[]>();
  const windows = new Map<VectorSelector, SeriesWindows[]>();
  const fetchRaw = async (group: SelectorNeed[]): Promise<void> => {
    const first = group[0]!;
    const startMs = Math.min(...group.map((g) => g.startMs));
    const endMs = Math.max(...group.map((g) => g.endMs));
    const hints = group.length === 1 ? first.hints : mergeHints(group, startMs, endMs);
    const data = await source.select(first.node.matchers, startMs, endMs, signal, hints);
    const prepared = prepareAll(data);
    for (const g of group) series.set(g.node, prepared);
  };
  const fetchWindows = async (group: SelectorNeed[]): Promise<void> => {
    const request: WindowRequest = {
      ...windowRequest(group[0]!, frame),
      functions: [...new Set(group.map(windowFunction))],
    };
    const data = await source.selectWindows!(request, signal);
    const sorted = data
      .map((w) => ({ ...w, labels: normalizeLabels(w.labels) }))
      .sort((a, b) => compareLabels(a.labels, b.labels));
    for (const g of group) windows.set(g.node, sorted);
  };
  await Promise.all([...[...groups.values()].map(fetchRaw), ...[...windowGroups.values()].map(fetchWindows)]);
  return { series, windows };
}

/** What is applied to a windowed selector's windows: its range function, or `instant`. */
function windowFunction(need: SelectorNeed): string {
  return need.instant ? 'instant' : (need.hints.func ?? '');
}

/**
 * The grid windows a windowed selector needs: one per query step, moved back by the offset; an
 * instant selector's windows are the lookback.
 */
function windowRequest(need: SelectorNeed, frame: QueryFrame): WindowRequest {
  const stepMs = frame.stepMs > 0 ? frame.stepMs : 1;
  const steps = frame.stepMs > 0 ? Math.floor((frame.endMs - frame.startMs) / frame.stepMs) + 1 : 1;
  return {
    matchers: need.node.matchers,
    firstEndMs: frame.startMs - need.node.offsetMs,
    stepMs,
    steps,
    rangeMs: need.instant ? frame.lookbackMs : need.hints.rangeMs,
    functions: [windowFunction(need)],
  };
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

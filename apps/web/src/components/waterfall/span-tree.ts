/**
 * Turns the flat span list of a trace into a tree and the tree into the visible rows of the
 * waterfall. Both steps are pure (no React) so they are tested on their own and can run on a
 * 10,000-span trace without recursion (a deep chain would overflow the call stack).
 */
import type { SpanView } from '@vigil/spec';
import { spanTimes } from './span-times.ts';

/** A span with derived fields computed once (times relative to the trace start, tree links). */
export interface SpanNode {
  readonly span: SpanView;
  /** Start relative to the earliest span of the trace, in nanoseconds. */
  readonly startOffsetNs: number;
  readonly endOffsetNs: number;
  /** True when the span names a parent that is not in the trace (shown at the root, marked). */
  readonly orphan: boolean;
  readonly children: SpanNode[];
}

export interface SpanTree {
  /** Roots first by start time: the real root(s), then orphans. */
  readonly roots: SpanNode[];
  readonly byId: ReadonlyMap<string, SpanNode>;
  /** Earliest start, Unix nanoseconds as a decimal string ('0' for an empty trace). */
  readonly traceStartUnixNano: string;
  /** Latest end minus earliest start. */
  readonly traceDurationNs: number;
}

/** One visible waterfall row. */
export interface SpanRow {
  readonly node: SpanNode;
  /** 0 for roots. */
  readonly depth: number;
  readonly hasChildren: boolean;
  readonly collapsed: boolean;
}

const byStart = (a: SpanNode, b: SpanNode): number => a.startOffsetNs - b.startOffsetNs;

/**
 * Links spans by `parentSpanId`. A span whose parent is absent (or which only reaches itself
 * through a parent cycle, as corrupt data can) becomes a root with `orphan: true`.
 */
export function buildSpanTree(spans: readonly SpanView[]): SpanTree {
  if (spans.length === 0) return { roots: [], byId: new Map(), traceStartUnixNano: '0', traceDurationNs: 0 };
  const { minStartUnixNano, startOffsetNs: offsets } = spanTimes(spans);
  const byId = new Map<string, MutableNode>();
  const nodes: MutableNode[] = [];
  let maxEnd = 0;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    const startOffsetNs = offsets[i]!;
    const endOffsetNs = startOffsetNs + span.durationNs;
    if (endOffsetNs > maxEnd) maxEnd = endOffsetNs;
    const node: MutableNode = { span, startOffsetNs, endOffsetNs, orphan: false, children: [] };
    nodes.push(node);
    // Duplicate span ids (re-sent exports) keep the first for lookups; the copy still gets a row.
    if (!byId.has(span.spanId)) byId.set(span.spanId, node);
  }
  const roots: MutableNode[] = [];
  for (const node of nodes) {
    const parentId = node.span.parentSpanId;
    const parent = parentId === '' || parentId === node.span.spanId ? undefined : byId.get(parentId);
    if (parent === undefined) {
      node.orphan = parentId !== '';
      roots.push(node);
    } else {
      parent.children.push(node);
    }
  }
  breakCycles(roots, nodes, byId);
  for (const node of nodes) node.children.sort(byStart);
  roots.sort((a, b) => Number(a.orphan) - Number(b.orphan) || byStart(a, b));
  return { roots, byId, traceStartUnixNano: minStartUnixNano, traceDurationNs: maxEnd };
}

type MutableNode = { -readonly [K in keyof SpanNode]: SpanNode[K] } & { children: MutableNode[] };

/** Spans only reachable through a parent cycle are never visited from a root: make them orphans. */
function breakCycles(
  roots: MutableNode[],
  nodes: readonly MutableNode[],
  byId: ReadonlyMap<string, MutableNode>,
): void {
  const seen = new Set<MutableNode>();
  const visit = (from: MutableNode): void => {
    const stack = [from];
    while (stack.length > 0) {
      const node = stack.pop()!;
      seen.add(node);
      for (const child of node.children) if (!seen.has(child)) stack.push(child);
    }
  };
  for (const root of roots) visit(root);
  for (const node of nodes) {
    if (seen.has(node)) continue;
    // Cut the edge into this node so the cycle becomes a tree hanging from it.
    const parent = byId.get(node.span.parentSpanId);
    if (parent) parent.children.splice(parent.children.indexOf(node), 1);
    node.orphan = true;
    roots.push(node);
    visit(node);
  }
}

/**
 * Depth-first rows in display order, skipping the descendants of collapsed spans. Iterative, so
 * a 10,000-deep chain works.
 */
export function flattenSpanTree(roots: readonly SpanNode[], collapsed: ReadonlySet<string>): SpanRow[] {
  const rows: SpanRow[] = [];
  const stack: Array<{ node: SpanNode; depth: number }> = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push({ node: roots[i]!, depth: 0 });
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    const isCollapsed = collapsed.has(node.span.spanId);
    rows.push({ node, depth, hasChildren: node.children.length > 0, collapsed: isCollapsed });
    if (isCollapsed) continue;
    for (let i = node.children.length - 1; i >= 0; i--)
      stack.push({ node: node.children[i]!, depth: depth + 1 });
  }
  return rows;
}

/**
 * The critical path of a trace: the chain of work that determined its end-to-end latency.
 * Shortening a span on it shortens the trace; shortening one off it does not.
 *
 * Algorithm (after jaeger-ui's `CriticalPath`): start at the root with the boundary at the
 * root's end. Repeatedly take the not-yet-visited child that finishes last at or before the
 * boundary and descend into it (the boundary becomes that child's end). When a span has no such
 * child, the time before the boundary was spent in the span itself: go back to its parent with the
 * boundary moved to the span's start, so only children that finished before this one began
 * (children that do not overlap it) can join the path.
 *
 * ```
 * time ──────────────────────────────────────────────▶
 * root  [==================================]   on path
 *   A   [=========]                            on path: ends before B starts
 *   B              [=================]         on path: finishes last
 *   C       [=========]                        off path: overlaps B, ends after B starts
 * ```
 *
 * Before walking, children are clipped to their parent's interval (a child outliving its parent,
 * from clock skew or fire-and-forget work, only counts up to the parent's end; one starting after
 * the parent ended is ignored), as jaeger-ui does.
 *
 * Unlike jaeger-ui, which returns time sections, this returns every span the walk passes through:
 * a parent that only waits on its child is still on the path for highlighting.
 */
import type { SpanView } from '@vigil/spec';
import { spanTimes } from './span-times.ts';

/** The fields the algorithm needs; `SpanView` satisfies it. */
export type CriticalPathSpan = Pick<SpanView, 'spanId' | 'parentSpanId' | 'startTimeUnixNano' | 'durationNs'>;

interface Clipped {
  readonly spanId: string;
  readonly start: number;
  readonly end: number;
  readonly parent: Clipped | undefined;
  /** Sorted by end time, latest first. */
  readonly children: Clipped[];
  /** Index of the next child to consider; the boundary only moves back, so this only advances. */
  next: number;
}

/** Span ids on the critical path of the trace's root (the longest span without a parent). */
export function criticalPath(spans: readonly CriticalPathSpan[]): Set<string> {
  const root = clippedTree(spans);
  const onPath = new Set<string>();
  if (root === undefined) return onPath;
  const visited = new Set<Clipped>();
  let span: Clipped = root;
  let boundary = root.end;
  for (;;) {
    visited.add(span);
    onPath.add(span.spanId);
    const child = lastFinishingChild(span, boundary, visited);
    if (child !== undefined) {
      span = child;
      boundary = child.end;
      continue;
    }
    if (span.parent === undefined) return onPath;
    boundary = span.start;
    span = span.parent;
  }
}

function lastFinishingChild(
  span: Clipped,
  boundary: number,
  visited: ReadonlySet<Clipped>,
): Clipped | undefined {
  while (span.next < span.children.length) {
    const child = span.children[span.next]!;
    if (child.end <= boundary && !visited.has(child)) return child;
    span.next++;
  }
  return undefined;
}

/** Builds the root's subtree with times (ns after the earliest start) clipped to each parent. */
function clippedTree(spans: readonly CriticalPathSpan[]): Clipped | undefined {
  if (spans.length === 0) return undefined;
  const offsets = spanTimes(spans).startOffsetNs;
  const offsetOf = new Map<CriticalPathSpan, number>();
  spans.forEach((s, i) => offsetOf.set(s, offsets[i]!));
  const ids = new Set(spans.map((s) => s.spanId));
  const childrenOf = new Map<string, CriticalPathSpan[]>();
  let rootSpan: CriticalPathSpan | undefined;
  for (const s of spans) {
    if (s.parentSpanId === '' || !ids.has(s.parentSpanId)) {
      // Several parentless spans (orphans): the longest one is the request the user waited on.
      if (rootSpan === undefined || s.durationNs > rootSpan.durationNs) rootSpan = s;
      continue;
    }
    const list = childrenOf.get(s.parentSpanId);
    if (list) list.push(s);
    else childrenOf.set(s.parentSpanId, [s]);
  }
  if (rootSpan === undefined) return undefined;
  const offset = (s: CriticalPathSpan): number => offsetOf.get(s)!;
  const rootStart = offset(rootSpan);
  const root: Clipped = {
    spanId: rootSpan.spanId,
    start: rootStart,
    end: rootStart + rootSpan.durationNs,
    parent: undefined,
    children: [],
    next: 0,
  };
  const seen = new Set<string>([rootSpan.spanId]);
  const stack = [root];
  while (stack.length > 0) {
    const parent = stack.pop()!;
    for (const s of childrenOf.get(parent.spanId) ?? []) {
      if (seen.has(s.spanId)) continue; // duplicate ids or cycles in corrupt data
      seen.add(s.spanId);
      const rawStart = offset(s);
      if (rawStart > parent.end) continue;
      const start = Math.max(rawStart, parent.start);
      const end = Math.min(rawStart + s.durationNs, parent.end);
      const child: Clipped = {
        spanId: s.spanId,
        start,
        end: Math.max(start, end),
        parent,
        children: [],
        next: 0,
      };
      parent.children.push(child);
      stack.push(child);
    }
    parent.children.sort((a, b) => b.end - a.end || b.start - a.start);
  }
  return root;
}

/**
 * Derived figures of a call tree: per-function totals for the top table and the share matched by
 * a search. Pure, so they are computed once per graph (memoised by the caller) and unit tested.
 */
import type { FlameNodeLike } from './flame-layout.ts';

/** One function's figures across every stack it appears in. */
export interface FunctionStat {
  name: string;
  self: number;
  /**
   * Total counted once per stack: a recursive function is not added again below itself,
   * otherwise its total could exceed the root's.
   */
  total: number;
}

/**
 * Self and total per function name, in no particular order. The tree's own root is the synthetic
 * "all stacks" frame and is left out; a zoomed-in frame (`rootIsFrame`) is a real function and
 * counts, its self time included.
 */
export function functionStats(root: FlameNodeLike, rootIsFrame = false): FunctionStat[] {
  const stats = new Map<string, FunctionStat>();
  const onStack = new Map<string, number>();
  // Recursive walk: flame graph depth is bounded by stack depth (hundreds), not by frame count.
  const visit = (node: FlameNodeLike, isRoot: boolean): void => {
    if (!isRoot) {
      let s = stats.get(node.name);
      if (s === undefined) stats.set(node.name, (s = { name: node.name, self: 0, total: 0 }));
      s.self += node.self;
      if ((onStack.get(node.name) ?? 0) === 0) s.total += node.total;
      onStack.set(node.name, (onStack.get(node.name) ?? 0) + 1);
    }
    for (const c of node.children) visit(c, false);
    if (!isRoot) onStack.set(node.name, onStack.get(node.name)! - 1);
  };
  visit(root, !rootIsFrame);
  return [...stats.values()];
}

/** Whether a frame matches a search: case-insensitive substring; an empty query matches nothing. */
export function frameMatches(name: string, query: string): boolean {
  const q = query.trim().toLowerCase();
  return q !== '' && name.toLowerCase().includes(q);
}

export interface SearchResult {
  /** How many frames (nodes) match. */
  frames: number;
  /** Value of the stacks through a matching frame; nested matches are counted once. */
  value: number;
  /** `value` as a share of the root's total, 0..1. */
  share: number;
}

/** The frames matching `query` under `root` and the share of the total they account for. */
export function searchFlameGraph(root: FlameNodeLike, query: string): SearchResult {
  let frames = 0;
  let value = 0;
  const visit = (node: FlameNodeLike, insideMatch: boolean): void => {
    const match = frameMatches(node.name, query);
    if (match) frames++;
    if (match && !insideMatch) value += node.total;
    for (const c of node.children) visit(c, insideMatch || match);
  };
  visit(root, false);
  return { frames, value, share: root.total > 0 ? value / root.total : 0 };
}

/**
 * Flame-graph trees from (stack, value) pairs. Each stack is walked root first; every frame adds
 * the value to its node's total, and the last one to its self:
 *
 *   main;a;x 5      total 8 ─ main 8 ─┬─ a 7 ─┬─ x 5 (self 5)
 *   main;a 2                          │       └─ (self 2)
 *   main;b 1                          └─ b 1 (self 1)
 *
 * A diff tree merges two such walks (current and base window) into nodes holding both.
 */
import type { DiffFlameGraphNode, FlameGraphNode } from '@vigil/spec';

export interface StackValue {
  readonly frames: readonly string[];
  readonly value: number;
}

interface MutableNode {
  name: string;
  total: number;
  self: number;
  baseTotal: number;
  baseSelf: number;
  children: Map<string, MutableNode>;
}

const ROOT_NAME = 'total';

function node(name: string): MutableNode {
  return { name, total: 0, self: 0, baseTotal: 0, baseSelf: 0, children: new Map() };
}

function addStacks(root: MutableNode, stacks: readonly StackValue[], base: boolean): void {
  for (const { frames, value } of stacks) {
    let at = root;
    if (base) at.baseTotal += value;
    else at.total += value;
    for (const frame of frames) {
      let child = at.children.get(frame);
      if (child === undefined) {
        child = node(frame);
        at.children.set(frame, child);
      }
      at = child;
      if (base) at.baseTotal += value;
      else at.total += value;
    }
    if (base) at.baseSelf += value;
    else at.self += value;
  }
}

function toTree(n: MutableNode): FlameGraphNode {
  return {
    name: n.name,
    total: n.total,
    self: n.self,
    children: [...n.children.values()].sort((a, b) => b.total - a.total).map(toTree),
  };
}

function toDiffTree(n: MutableNode): DiffFlameGraphNode {
  const size = (m: MutableNode) => Math.max(m.total, m.baseTotal);
  return {
    name: n.name,
    total: n.total,
    self: n.self,
    baseTotal: n.baseTotal,
    baseSelf: n.baseSelf,
    children: [...n.children.values()].sort((a, b) => size(b) - size(a)).map(toDiffTree),
  };
}

/**
 * The flame graph of `stacks`. `total`, when larger than the stacks' sum (stacks were left out
 * beyond a limit), is the root's total, and the difference its self.
 */
export function buildFlameGraph(stacks: readonly StackValue[], total?: number): FlameGraphNode {
  const root = node(ROOT_NAME);
  addStacks(root, stacks, false);
  if (total !== undefined && total > root.total) {
    root.self += total - root.total;
    root.total = total;
  }
  return toTree(root);
}

/** The diff flame graph of the current window's stacks against the base window's. */
export function buildDiffFlameGraph(
  current: readonly StackValue[],
  base: readonly StackValue[],
  totals?: { total: number; baseTotal: number },
): DiffFlameGraphNode {
  const root = node(ROOT_NAME);
  addStacks(root, current, false);
  addStacks(root, base, true);
  if (totals !== undefined) {
    if (totals.total > root.total) {
      root.self += totals.total - root.total;
      root.total = totals.total;
    }
    if (totals.baseTotal > root.baseTotal) {
      root.baseSelf += totals.baseTotal - root.baseTotal;
      root.baseTotal = totals.baseTotal;
    }
  }
  return toDiffTree(root);
}

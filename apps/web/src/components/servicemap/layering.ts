/**
 * The combinatorial half of the map's layered layout, on node indices 0..n-1: which column (rank)
 * each node goes in and its order within the column. Coordinates are layered-layout.ts's job.
 *
 *   1. cycles:   a depth-first search from the caller-less nodes; an edge back to a node still on
 *                the stack is turned round, so every cycle loses one edge's direction
 *   2. ranks:    longest path from a caller-less node (callers left of callees)
 *   3. order:    depth-first discovery order, then barycentre sweeps: down (by the mean row of
 *                callers), up (by the mean row of callees), alternating, ending down
 *
 *     rank 0      rank 1      rank 2
 *     frontend ─▶ api ──────▶ postgres
 *                   └───────▶ redis
 *
 * Each step is O(V + E), each sweep O(V log V + E): 500 nodes and 2,000 edges take a few ms.
 * Deterministic: ties are broken by index, never by hash or clock.
 */

/** How many down/up sweep pairs order the columns; more barely changes crossings at map sizes. */
const SWEEP_PAIRS = 3;

/** Callee lists with every cycle broken and self-calls dropped; see the module comment. */
export function acyclicSuccessors(succ: readonly (readonly number[])[]): number[][] {
  const n = succ.length;
  const out: number[][] = Array.from({ length: n }, () => []);
  const inDegree = new Array<number>(n).fill(0);
  for (const list of succ) for (const t of list) inDegree[t]!++;
  // 0 = unseen, 1 = on the stack, 2 = done.
  const state = new Uint8Array(n);
  const stack: Array<{ node: number; next: number }> = [];
  const visit = (root: number): void => {
    state[root] = 1;
    stack.push({ node: root, next: 0 });
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const list = succ[top.node]!;
      if (top.next === list.length) {
        state[top.node] = 2;
        stack.pop();
        continue;
      }
      const t = list[top.next++]!;
      if (t === top.node) continue;
      if (state[t] === 1) out[t]!.push(top.node);
      else {
        out[top.node]!.push(t);
        if (state[t] === 0) {
          state[t] = 1;
          stack.push({ node: t, next: 0 });
        }
      }
    }
  };
  // Entry points first, so a cycle is broken at the edge that leads back towards them.
  for (let v = 0; v < n; v++) if (inDegree[v] === 0 && state[v] === 0) visit(v);
  for (let v = 0; v < n; v++) if (state[v] === 0) visit(v);
  return out;
}

/** Longest path from a node without callers, over an acyclic `succ`. */
export function longestPathRanks(succ: readonly (readonly number[])[]): number[] {
  const n = succ.length;
  const rank = new Array<number>(n).fill(0);
  const inDegree = new Array<number>(n).fill(0);
  for (const list of succ) for (const t of list) inDegree[t]!++;
  const ready: number[] = [];
  for (let v = n - 1; v >= 0; v--) if (inDegree[v] === 0) ready.push(v);
  while (ready.length > 0) {
    const v = ready.pop()!;
    for (const t of succ[v]!) {
      rank[t] = Math.max(rank[t]!, rank[v]! + 1);
      if (--inDegree[t]! === 0) ready.push(t);
    }
  }
  return rank;
}

/** Nodes in depth-first order from the entry points: a caller and its callees start out near each other. */
function discoveryOrder(
  succ: readonly (readonly number[])[],
  pred: readonly (readonly number[])[],
): number[] {
  const n = succ.length;
  const seen = new Uint8Array(n);
  const order: number[] = [];
  const stack: number[] = [];
  const from = (root: number): void => {
    stack.push(root);
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (seen[v]) continue;
      seen[v] = 1;
      order.push(v);
      const list = succ[v]!;
      for (let i = list.length - 1; i >= 0; i--) if (!seen[list[i]!]) stack.push(list[i]!);
    }
  };
  for (let v = 0; v < n; v++) if (pred[v]!.length === 0) from(v);
  for (let v = 0; v < n; v++) from(v);
  return order;
}

/**
 * Orders each rank's nodes; see the module comment. `succ` must be acyclic and `rank` its
 * longest-path ranks. Returns the node indices of each rank, top to bottom.
 */
export function orderRanks(succ: readonly (readonly number[])[], rank: readonly number[]): number[][] {
  const n = succ.length;
  const pred: number[][] = Array.from({ length: n }, () => []);
  succ.forEach((list, v) => list.forEach((t) => pred[t]!.push(v)));
  const columns: number[][] = [];
  for (const v of discoveryOrder(succ, pred)) (columns[rank[v]!] ??= []).push(v);
  const ranks = columns.filter((c) => c !== undefined);

  // A node's row, centred on its column so columns of different heights line up in the middle.
  const row = new Float64Array(n);
  const place = (column: readonly number[]): void =>
    column.forEach((v, i) => (row[v] = i - (column.length - 1) / 2));
  ranks.forEach(place);

  const key = new Float64Array(n);
  const sortBy = (column: number[], neighbours: readonly (readonly number[])[]): void => {
    for (const v of column) {
      const list = neighbours[v]!;
      let sum = 0;
      for (const u of list) sum += row[u]!;
      // Without neighbours on that side a node keeps its place.
      key[v] = list.length === 0 ? row[v]! : sum / list.length;
    }
    column.sort((a, b) => key[a]! - key[b]! || row[a]! - row[b]! || a - b);
    place(column);
  };
  const down = (): void => ranks.forEach((c) => sortBy(c, pred));
  const up = (): void => {
    for (let r = ranks.length - 1; r >= 0; r--) sortBy(ranks[r]!, succ);
  };
  for (let i = 0; i < SWEEP_PAIRS; i++) {
    down();
    up();
  }
  down();
  return ranks;
}

/**
 * Flame graph layout: a pure function from a call tree to rectangles, kept apart from drawing so
 * it can be tested without a canvas and reused for hit-testing.
 *
 *   depth 0  [ total ...................................... ]  x = 0, widthPx = width
 *   depth 1  [ main ....................... ][ gc ....... ]  widths ∝ weight / parent weight
 *   depth 2  [ parse ...... ][ eval ..... ]   [ mark ]
 *
 * Children are packed from their parent's left edge in the order given (largest first, as the
 * API sends them); the gap on the right of a parent is its self value.
 */

/** The part of a flame graph node the layout needs (FlameGraphNode and DiffFlameGraphNode fit). */
export interface FlameNodeLike {
  name: string;
  total: number;
  self: number;
  children: readonly FlameNodeLike[];
}

/** One frame placed on the graph. */
export interface FlameRect<N extends FlameNodeLike = FlameNodeLike> {
  node: N;
  /** Left edge in CSS pixels from the layout root's left edge. */
  x: number;
  widthPx: number;
  /** 0 for the layout root. */
  depth: number;
  /** Index of the parent rect in the returned array; -1 for the root. */
  parent: number;
  /** Child indices from the layout root, e.g. `[0, 2]`: stable across re-layouts, used for zoom. */
  path: readonly number[];
}

export interface LayoutOptions<N extends FlameNodeLike> {
  /** What a frame's width is proportional to; the node's total by default. */
  weight?: (node: N) => number;
  /**
   * Frames narrower than this are left out with their subtree: below half a pixel they cannot be
   * seen or clicked, and with thousands of frames drawing them is most of the cost.
   */
  minWidthPx?: number;
}

/**
 * Lays out `root` across `widthPx`: the root spans the full width and every frame's width is
 * proportional to its weight. Rects come parents-first (breadth-first), so a rect's parent index
 * is always smaller than its own.
 */
export function layoutFlameGraph<N extends FlameNodeLike>(
  root: N,
  widthPx: number,
  options: LayoutOptions<N> = {},
): FlameRect<N>[] {
  const weight = options.weight ?? ((n: N) => n.total);
  const minWidthPx = options.minWidthPx ?? 0.5;
  const rootWeight = weight(root);
  if (!(widthPx > 0) || !(rootWeight > 0)) return [];
  const pxPerUnit = widthPx / rootWeight;
  const rects: FlameRect<N>[] = [{ node: root, x: 0, widthPx, depth: 0, parent: -1, path: [] }];
  // Breadth-first with an index cursor instead of shift(): O(n) on graphs of many thousand frames.
  for (let i = 0; i < rects.length; i++) {
    const p = rects[i]!;
    let x = p.x;
    p.node.children.forEach((child, index) => {
      const w = weight(child as N) * pxPerUnit;
      if (w >= minWidthPx) {
        rects.push({
          node: child as N,
          x,
          widthPx: w,
          depth: p.depth + 1,
          parent: i,
          path: [...p.path, index],
        });
      }
      x += w;
    });
  }
  return rects;
}

/** The node at `path` under `root` (child indices), or undefined when the path no longer exists. */
export function nodeAtPath<N extends FlameNodeLike>(root: N, path: readonly number[]): N | undefined {
  let node: N | undefined = root;
  for (const i of path) node = node?.children[i] as N | undefined;
  return node;
}

/** The nodes from `root` down to (not including) the node at `path`: the zoom breadcrumb. */
export function ancestorsAtPath<N extends FlameNodeLike>(root: N, path: readonly number[]): N[] {
  const out: N[] = [];
  let node: N | undefined = root;
  for (const i of path) {
    if (node === undefined) break;
    out.push(node);
    node = node.children[i] as N | undefined;
  }
  return out;
}

/** The rect under the point (x in px, depth from y), or -1; rects at a depth do not overlap. */
export function hitTest(rects: readonly FlameRect[], xPx: number, depth: number): number {
  for (let i = 0; i < rects.length; i++) {
    const r = rects[i]!;
    if (r.depth === depth && xPx >= r.x && xPx < r.x + r.widthPx) return i;
  }
  return -1;
}

/** The deepest depth in `rects` plus one: how many rows the graph needs. */
export function rowCount(rects: readonly FlameRect[]): number {
  let max = -1;
  for (const r of rects) if (r.depth > max) max = r.depth;
  return max + 1;
}

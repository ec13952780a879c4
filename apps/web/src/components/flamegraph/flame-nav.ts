/**
 * Keyboard navigation over laid-out frames, so the canvas is usable without a mouse:
 * ArrowUp = caller, ArrowDown = widest callee, ArrowLeft/Right = neighbour on the same row.
 */
import type { FlameRect } from './flame-layout.ts';

/** The rect index the arrow key `key` moves to from `from`, or `from` when there is none. */
export function navigate(rects: readonly FlameRect[], from: number, key: string): number {
  const cur = rects[from];
  if (cur === undefined) return rects.length > 0 ? 0 : -1;
  if (key === 'ArrowUp') return cur.parent >= 0 ? cur.parent : from;
  if (key === 'ArrowDown') {
    // Children follow their parent in breadth-first order and come widest first.
    const child = rects.findIndex((r) => r.parent === from);
    return child >= 0 ? child : from;
  }
  if (key === 'ArrowLeft' || key === 'ArrowRight') {
    let best = from;
    let bestDistance = Infinity;
    rects.forEach((r, i) => {
      if (r.depth !== cur.depth || i === from) return;
      const d = key === 'ArrowRight' ? r.x - cur.x : cur.x - r.x;
      if (d > 0 && d < bestDistance) {
        best = i;
        bestDistance = d;
      }
    });
    return best;
  }
  return from;
}

/**
 * Frame colours. Plain graphs colour by package (a stable hash, so `net/http` is the same colour
 * in every graph and every session); diff graphs colour by relative change between windows.
 */
import type { DiffFlameGraphNode } from '@vigil/spec';

/**
 * The package or module of a frame name (`function file:line`):
 * `github.com/a/b/pkg.(*T).Run` → `github.com/a/b/pkg`, `std::vec::Vec::push` → `std::vec::Vec`,
 * `app.handlers.get` → `app.handlers`, `main` → `main`.
 */
export function packageOf(name: string): string {
  const fn = name.split(' ')[0] ?? name;
  const colons = fn.lastIndexOf('::');
  if (colons > 0) return fn.slice(0, colons);
  const slash = fn.lastIndexOf('/');
  if (slash >= 0) {
    // Go: the package path ends at the first dot after the last slash.
    const dot = fn.indexOf('.', slash);
    return dot > 0 ? fn.slice(0, dot) : fn;
  }
  const dot = fn.lastIndexOf('.');
  return dot > 0 ? fn.slice(0, dot) : fn;
}

/** FNV-1a: cheap, stable across sessions and browsers (unlike anything keyed on object identity). */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The colour of a frame in a plain flame graph: warm hues (the flame-graph convention) by package. */
export function packageColor(name: string): string {
  const h = hash32(packageOf(name));
  const hue = h % 50; // red..orange..yellow
  const lightness = 55 + ((h >>> 8) % 15);
  return `hsl(${hue}, 75%, ${lightness}%)`;
}

/** The grey of frames that do not match the search. */
export const DIMMED_COLOR = 'hsl(0, 0%, 82%)';

/** Changes within ±5% of the larger share are noise at typical sample counts: drawn neutral. */
export const DIFF_NEUTRAL_BAND = 0.05;

/**
 * The relative change of a frame's share between the base and the current window, in [-1, 1]:
 * (current − base) / max(current, base), both as shares of their root so that windows of
 * different length compare. 1 = new frame, -1 = frame gone, 0 = unchanged.
 */
export function diffChange(node: DiffFlameGraphNode, rootTotal: number, rootBaseTotal: number): number {
  const cur = rootTotal > 0 ? node.total / rootTotal : 0;
  const base = rootBaseTotal > 0 ? node.baseTotal / rootBaseTotal : 0;
  const larger = Math.max(cur, base);
  return larger > 0 ? (cur - base) / larger : 0;
}

/** Red for growth, blue for shrinkage, saturation by the size of the change; grey within the band. */
export function diffColor(change: number): string {
  const magnitude = Math.min(1, Math.abs(change));
  if (magnitude < DIFF_NEUTRAL_BAND) return 'hsl(0, 0%, 75%)';
  const hue = change > 0 ? 0 : 220;
  const lightness = Math.round(80 - 35 * magnitude);
  return `hsl(${hue}, 80%, ${lightness}%)`;
}

/** Whether a node carries base-window values, i.e. belongs to a diff flame graph. */
export function isDiffNode(node: { children: readonly unknown[] }): node is DiffFlameGraphNode {
  return 'baseTotal' in node;
}

/**
 * Draws laid-out frames on a canvas. Separate from the layout so layout stays pure, and tolerant
 * of a missing 2D context (jsdom, or a browser out of canvas memory): then it draws nothing and
 * the accessible table still carries the data.
 */
import type { FlameRect } from './flame-layout.ts';

/** Height of one row of frames in CSS pixels. */
export const ROW_HEIGHT_PX = 18;

export interface DrawOptions {
  widthPx: number;
  /** Fill colour of each rect, by index. */
  colorOf: (rect: FlameRect, index: number) => string;
  /** Index of the hovered/selected rect, outlined; -1 for none. */
  highlighted: number;
  devicePixelRatio?: number;
}

// Labels narrower than this would show only an ellipsis.
const MIN_LABEL_PX = 28;
const LABEL_PAD_PX = 4;

/** Fits `text` into `maxPx` with a trailing ellipsis, by binary search on the measured width. */
function fitLabel(ctx: CanvasRenderingContext2D, text: string, maxPx: number): string {
  if (ctx.measureText(text).width <= maxPx) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= maxPx) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '' : `${text.slice(0, lo)}…`;
}

/**
 * Sizes the canvas for `rects` and draws them; returns false when the canvas has no 2D context.
 */
export function drawFlameGraph(
  canvas: HTMLCanvasElement,
  rects: readonly FlameRect[],
  rows: number,
  options: DrawOptions,
): boolean {
  const ratio = options.devicePixelRatio ?? 1;
  const heightPx = rows * ROW_HEIGHT_PX;
  // Backing store at device pixels so text stays sharp on high-DPI screens.
  canvas.width = Math.round(options.widthPx * ratio);
  canvas.height = Math.round(heightPx * ratio);
  canvas.style.width = `${options.widthPx}px`;
  canvas.style.height = `${heightPx}px`;
  let ctx: CanvasRenderingContext2D | null = null;
  try {
    ctx = canvas.getContext('2d');
  } catch {
    // jsdom throws "not implemented" instead of returning null.
    ctx = null;
  }
  if (!ctx) return false; // null in browsers without 2D canvas, undefined in some test DOMs
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, options.widthPx, heightPx);
  ctx.font = '12px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  rects.forEach((r, i) => {
    const y = r.depth * ROW_HEIGHT_PX;
    // A 1px gap between frames keeps neighbours apart; frames under 2px get no gap at all.
    const w = r.widthPx > 2 ? r.widthPx - 1 : r.widthPx;
    ctx.fillStyle = options.colorOf(r, i);
    ctx.fillRect(r.x, y, w, ROW_HEIGHT_PX - 1);
    if (r.widthPx >= MIN_LABEL_PX) {
      const label = fitLabel(ctx, r.node.name, r.widthPx - 2 * LABEL_PAD_PX);
      ctx.fillStyle = '#1a1a1a';
      ctx.fillText(label, r.x + LABEL_PAD_PX, y + ROW_HEIGHT_PX / 2);
    }
  });
  const h = rects[options.highlighted];
  if (h !== undefined) {
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 2;
    ctx.strokeRect(h.x + 1, h.depth * ROW_HEIGHT_PX + 1, Math.max(h.widthPx - 2, 1), ROW_HEIGHT_PX - 3);
  }
  return true;
}

/**
 * Pure geometry of the severity histogram: stacked bars per bucket and the brush's pixels →
 * time range. Kept apart from the component so both are table-tested without a layout engine.
 *
 *   count ▲  ┌─┐            one bar per bucket, one segment per severity,
 *         │  │e│ ┌─┐        stacked in SEVERITY_ORDER from the bottom (info under error)
 *         │  │i│ │i│
 *         └──┴─┴─┴─┴──▶ time   x = (timeMs − fromMs) / (toMs − fromMs) × width
 */
import type { LogHistogram } from '@vigil/spec';

/** Stacking order, bottom to top: the common levels at the base, the alarming ones on top. */
export const SEVERITY_ORDER = ['unknown', 'trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

export interface BarSegment {
  readonly severity: string;
  readonly timeMs: number;
  readonly count: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Severities in stacking order; names outside SEVERITY_ORDER go between `unknown` and `trace`. */
export function orderSeverities(names: Iterable<string>): string[] {
  const rank = (s: string) => {
    const i = (SEVERITY_ORDER as readonly string[]).indexOf(s);
    return i < 0 ? 0.5 : i;
  };
  return [...new Set(names)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The stacked segments of every bucket inside [fromMs, toMs), scaled to `width`×`height`. */
export function stackBars(
  histogram: LogHistogram,
  fromMs: number,
  toMs: number,
  width: number,
  height: number,
): BarSegment[] {
  const spanMs = toMs - fromMs;
  if (!(spanMs > 0) || width <= 0 || height <= 0) return [];
  const xOf = (ms: number) => ((Math.min(Math.max(ms, fromMs), toMs) - fromMs) / spanMs) * width;
  let max = 0;
  for (const b of histogram.buckets)
    max = Math.max(
      max,
      Object.values(b.counts).reduce((a, c) => a + c, 0),
    );
  if (max === 0) return [];
  const segments: BarSegment[] = [];
  for (const bucket of histogram.buckets) {
    const x0 = xOf(bucket.timeMs);
    const x1 = xOf(bucket.timeMs + histogram.stepMs);
    // A 1 px gap keeps neighbouring bars apart once they are wide enough to afford it.
    const barWidth = x1 - x0 > 3 ? x1 - x0 - 1 : x1 - x0;
    if (barWidth <= 0) continue;
    let y = height;
    for (const severity of orderSeverities(Object.keys(bucket.counts))) {
      const count = bucket.counts[severity] ?? 0;
      if (count <= 0) continue;
      const h = (count / max) * height;
      y -= h;
      segments.push({ severity, timeMs: bucket.timeMs, count, x: x0, y, width: barWidth, height: h });
    }
  }
  return segments;
}

/** Narrower drags than this are clicks, not a zoom. */
export const MIN_BRUSH_PX = 4;

/**
 * The time range a brush from `x0` to `x1` (either direction, px in a `width`-wide chart)
 * selects, whole milliseconds; undefined for a click.
 */
export function brushRange(
  x0: number,
  x1: number,
  width: number,
  fromMs: number,
  toMs: number,
): { fromMs: number; toMs: number } | undefined {
  const left = Math.max(0, Math.min(x0, x1));
  const right = Math.min(width, Math.max(x0, x1));
  if (right - left < MIN_BRUSH_PX || width <= 0) return undefined;
  const msPerPx = (toMs - fromMs) / width;
  return { fromMs: Math.round(fromMs + left * msPerPx), toMs: Math.round(fromMs + right * msPerPx) };
}

/** About `count` evenly spaced tick times inside the range, on whole minutes when the range allows. */
export function timeTicks(fromMs: number, toMs: number, count = 5): number[] {
  const raw = (toMs - fromMs) / count;
  if (!(raw > 0)) return [];
  const step = raw >= 60_000 ? Math.ceil(raw / 60_000) * 60_000 : Math.ceil(raw / 1000) * 1000;
  const ticks: number[] = [];
  for (let t = Math.ceil(fromMs / step) * step; t < toMs; t += step) ticks.push(t);
  return ticks;
}

/**
 * Chart JSON → uPlot's column arrays. uPlot wants one shared x array (Unix **seconds**, sorted)
 * and one y array per line aligned with it, `null` for a gap:
 *
 * ```
 *   line a: grid 0s,10s,20s       x:  [0,  10,   15,   20]
 *   line b: points 10s,15s   →    a:  [1,  2,    null, 3 ]
 *                                 b:  [null, 5,  6,    null]
 * ```
 *
 * Lines on the same grid (every line of one server chart) take the fast path: the grid's times
 * once and the values as they are, with no per-point lookups.
 */
import { isPoints, type ChartJson, type ChartLineJson, type SeriesJson } from './chart-types.ts';

/** uPlot's data: `[xs, ...ys]`. */
export type UplotData = [number[], ...Array<Array<number | null>>];

function sameGrid(a: SeriesJson, b: SeriesJson): boolean {
  return a.fromMs === b.fromMs && a.stepMs === b.stepMs && a.values.length === b.values.length;
}

/** The line's points as `[unixMs, value]`; non-finite values become gaps. */
function pointsOf(line: ChartLineJson): Array<readonly [number, number | null]> {
  const d = line.data;
  if (isPoints(d)) return d.points.map(([t, v]) => [t, finiteOrNull(v)] as const);
  return d.values.map((v, i) => [d.fromMs + i * d.stepMs, finiteOrNull(v)] as const);
}

function finiteOrNull(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * The chart's lines as uPlot data: x in Unix seconds, one y array per line in the chart's order.
 * An empty chart gives `[[]]`.
 */
export function chartToUplotData(chart: Pick<ChartJson, 'lines'>): UplotData {
  const { lines } = chart;
  const first = lines[0]?.data;
  if (first === undefined) return [[]];
  if (!isPoints(first) && lines.every((l) => !isPoints(l.data) && sameGrid(first, l.data))) {
    const xs = first.values.map((_, i) => (first.fromMs + i * first.stepMs) / 1000);
    return [xs, ...lines.map((l) => (l.data as SeriesJson).values.map(finiteOrNull))];
  }
  const perLine = lines.map((l) => new Map(pointsOf(l)));
  const times = [...new Set(perLine.flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
  return [times.map((t) => t / 1000), ...perLine.map((m) => times.map((t) => m.get(t) ?? null))];
}

/** The newest non-null value of a line, or null when it has no data at all. */
export function latestValue(line: ChartLineJson): number | null {
  const pts = pointsOf(line);
  let latest: { t: number; v: number } | null = null;
  for (const [t, v] of pts) if (v !== null && (latest === null || t >= latest.t)) latest = { t, v };
  return latest?.v ?? null;
}

/** Whether any line of the chart has at least one value. */
export function hasData(chart: Pick<ChartJson, 'lines'>): boolean {
  return chart.lines.some((l) => latestValue(l) !== null);
}

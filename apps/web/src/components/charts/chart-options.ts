/**
 * The uPlot options for a chart: our own React legend replaces uPlot's (toggles need accessible
 * buttons), axes format values in the chart's unit, and two draw hooks add the threshold line
 * and a highlighted time window (an RCA window, an incident).
 */
import type uPlot from 'uplot';
import { CHART_COLOURS, lineColour } from './chart-theme.ts';
import { axisTickFormatter } from './format-unit.ts';

/** What the options depend on besides the data. */
export interface ChartOptionsInput {
  readonly lineNames: readonly string[];
  readonly unit: string;
  readonly heightPx: number;
  readonly scheme: 'light' | 'dark';
  readonly hidden: ReadonlySet<number>;
  readonly threshold?: number | undefined;
  readonly highlight?: { readonly fromMs: number; readonly toMs: number } | undefined;
  /** Called with the data index under the cursor, or null when it leaves the plot. */
  readonly onCursor?: (index: number | null) => void;
}

/**
 * The y range: from 0 (or below, for negative data) to the data's maximum, raised to include the
 * threshold so its line is always in view, with 5% headroom; [0, 1] without data.
 */
export function yRange(dataMin: number | null, dataMax: number | null, threshold?: number): [number, number] {
  const values = [dataMin, dataMax, threshold].filter(
    (v): v is number => typeof v === 'number' && Number.isFinite(v),
  );
  if (values.length === 0) return [0, 1];
  const lo = Math.min(0, ...values);
  const hi = Math.max(...values);
  if (hi === lo) return [lo, lo + 1];
  return [lo, hi > 0 ? hi * 1.05 : hi];
}

function drawThreshold(u: uPlot, value: number, colour: string): void {
  const y = u.valToPos(value, 'y', true);
  const { ctx, bbox } = u;
  ctx.save();
  ctx.strokeStyle = colour;
  ctx.lineWidth = 1.5 * devicePixelRatio;
  ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
  ctx.beginPath();
  ctx.moveTo(bbox.left, y);
  ctx.lineTo(bbox.left + bbox.width, y);
  ctx.stroke();
  ctx.restore();
}

function drawHighlight(u: uPlot, fromMs: number, toMs: number, colour: string): void {
  const x0 = Math.max(u.bbox.left, u.valToPos(fromMs / 1000, 'x', true));
  const x1 = Math.min(u.bbox.left + u.bbox.width, u.valToPos(toMs / 1000, 'x', true));
  if (!(x1 > x0)) return;
  u.ctx.save();
  u.ctx.fillStyle = colour;
  u.ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
  u.ctx.restore();
}

/**
 * The y axis's width in CSS pixels from its longest tick label (about 7 px a character at the
 * axis font, plus the tick and a gap), so "1110 messages/step" is not cut off and "0%" wastes no
 * room; between 40 and 160.
 */
export function yAxisWidth(_u: unknown, values: readonly string[] | null): number {
  const longest = (values ?? []).reduce((n, v) => Math.max(n, String(v).length), 0);
  return Math.min(160, Math.max(40, Math.ceil(longest * 7 + 18)));
}

/** uPlot options for {@link ChartOptionsInput}. */
export function chartOptions(input: ChartOptionsInput): uPlot.Options {
  const colours = CHART_COLOURS[input.scheme];
  const { threshold, highlight, onCursor } = input;
  const axis = { stroke: colours.axis, grid: { stroke: colours.grid }, ticks: { stroke: colours.grid } };
  return {
    // The width is the container's, set when the plot is made and on resize (use-uplot.ts).
    width: 0,
    height: input.heightPx,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { y: { range: (_u, min, max) => yRange(min, max, threshold) } },
    axes: [
      axis,
      {
        ...axis,
        size: yAxisWidth,
        values: axisTickFormatter(input.unit),
        ...(input.unit === 'deployed' ? { splits: () => [0, 1] } : {}),
      },
    ],
    series: [
      {},
      ...input.lineNames.map((name, i) => ({
        label: name,
        show: !input.hidden.has(i),
        stroke: lineColour(i, input.scheme),
        width: 1.5,
        spanGaps: false,
      })),
    ],
    hooks: {
      // Drawn under the lines (drawClear runs before series) so the window does not tint them.
      drawClear: highlight
        ? [(u) => drawHighlight(u, highlight.fromMs, highlight.toMs, colours.highlight)]
        : [],
      draw: threshold !== undefined ? [(u) => drawThreshold(u, threshold, colours.threshold)] : [],
      setCursor: onCursor ? [(u) => onCursor(u.cursor.idx ?? null)] : [],
    },
  };
}

/**
 * Log counts over time, stacked per severity, in SVG (a few hundred rects; no chart library
 * needed). Dragging across the chart selects a range and calls `onBrush` with it (zoom).
 *
 * For the keyboard and assistive tech the chart is a one-row grid with a cell per time step:
 * each cell is labelled with its time and counts per severity; the arrow keys move a cursor
 * (the active cell), Shift+arrows extend a selection, Enter zooms to it and Escape clears it.
 */
import { useId, useRef, useState, type MouseEvent } from 'react';
import { Group, Text, VisuallyHidden } from '@mantine/core';
import type { LogHistogram } from '@vigil/spec';
import { severityColour } from '../loglist/log-record.ts';
import focus from '../keyboard-brush/focus-ring.module.css';
import { brushBounds, inSelection } from '../keyboard-brush/keyboard-brush.ts';
import { useKeyboardBrush } from '../keyboard-brush/use-keyboard-brush.ts';
import {
  bucketSlots,
  clockLabel,
  type BucketSlot,
  countsSummary,
  slotLabel,
  slotsRange,
  sumCounts,
} from './bucket-slots.ts';
import { brushRange, orderSeverities, stackBars, timeTicks, type BarSegment } from './histogram-geometry.ts';

export interface SeverityHistogramProps {
  readonly histogram: LogHistogram;
  readonly fromMs: number;
  readonly toMs: number;
  /** A dragged range, Unix ms. */
  readonly onBrush: (fromMs: number, toMs: number) => void;
  /** Drawing width in SVG units; the SVG scales to its container. */
  readonly width?: number;
  readonly height?: number;
}

const AXIS_PX = 16;

/** What the live region says about a keyboard selection of slots `a`..`b`. */
function selectionAnnouncement(
  slots: readonly BucketSlot[],
  a: number,
  b: number,
  format: { stepMs: number; spanMs: number },
): string {
  const range = slotsRange(slots, a, b);
  if (!range) return '';
  const n = Math.abs(b - a) + 1;
  const when = `${clockLabel(range.fromMs, format)}–${clockLabel(range.toMs, format)}`;
  return `Selected ${when} (${n} ${n === 1 ? 'bucket' : 'buckets'}): ${countsSummary(sumCounts(slots, a, b))}. Enter zooms, Escape clears.`;
}

/** The stacked severity histogram with brush-to-zoom. */
export function SeverityHistogram({
  histogram,
  fromMs,
  toMs,
  onBrush,
  width = 1000,
  height = 120,
}: SeverityHistogramProps) {
  const svgRef = useRef<SVGSVGElement>(null);
  const cellId = useId();
  const [drag, setDrag] = useState<{ x0: number; x1: number } | undefined>(undefined);
  const plotHeight = height - AXIS_PX;
  const spanMs = toMs - fromMs;
  const segments = stackBars(histogram, fromMs, toMs, width, plotHeight);
  const totals = new Map<string, number>();
  for (const s of segments) totals.set(s.severity, (totals.get(s.severity) ?? 0) + s.count);

  const slots = bucketSlots(histogram, fromMs, toMs);
  const format = { stepMs: histogram.stepMs, spanMs };
  const keyboard = useKeyboardBrush({ columns: slots.length, rows: 1 }, (a, b) => {
    const range = slotsRange(slots, a.column, b.column);
    if (range) onBrush(range.fromMs, range.toMs);
  });
  const { brush, visible } = keyboard;
  const selected = brushBounds(brush);
  const xOf = (ms: number): number => ((ms - fromMs) / spanMs) * width;
  const segmentsOf = new Map<number, BarSegment[]>();
  for (const s of segments) segmentsOf.set(s.timeMs, [...(segmentsOf.get(s.timeMs) ?? []), s]);
  const drawSegment = (s: BarSegment) => (
    <rect
      key={`${s.timeMs}-${s.severity}`}
      aria-hidden
      x={s.x}
      y={s.y}
      width={s.width}
      height={s.height}
      fill={severityColour(s.severity)}
    >
      <title>{`${new Date(s.timeMs).toLocaleString()}: ${s.count} ${s.severity}`}</title>
    </rect>
  );
  // Bars of buckets past MAX_SLOTS (a pathological step) are still drawn, outside the grid.
  const slotted = new Set(slots.map((slot) => slot.bucketMs));
  const cursorSlot = brush ? slots[brush.cursor.column] : undefined;

  // Client px → SVG units; an element without layout (rect width 0) is taken as unscaled.
  const toX = (e: MouseEvent): number => {
    const rect = svgRef.current?.getBoundingClientRect();
    const scale = rect && rect.width > 0 ? width / rect.width : 1;
    return (e.clientX - (rect?.left ?? 0)) * scale;
  };
  const finish = (e: MouseEvent) => {
    if (!drag) return;
    const range = brushRange(drag.x0, toX(e), width, fromMs, toMs);
    setDrag(undefined);
    if (range) onBrush(range.fromMs, range.toMs);
  };

  return (
    <div>
      <svg
        ref={svgRef}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        height={height}
        preserveAspectRatio="none"
        role="grid"
        aria-label="Log severity histogram; drag across it, or use the arrow keys with Shift and Enter, to zoom into a time range"
        aria-multiselectable
        aria-activedescendant={brush ? `${cellId}-${brush.cursor.column}` : undefined}
        tabIndex={0}
        className={focus.focusRing}
        style={{ cursor: 'crosshair', userSelect: 'none', display: 'block' }}
        onMouseDown={(e) => {
          keyboard.handlers.onMouseDown();
          setDrag({ x0: toX(e), x1: toX(e) });
        }}
        onMouseMove={(e) => drag && setDrag({ x0: drag.x0, x1: toX(e) })}
        onMouseUp={finish}
        onMouseLeave={() => setDrag(undefined)}
        onFocus={keyboard.handlers.onFocus}
        onBlur={keyboard.handlers.onBlur}
        onKeyDown={keyboard.handlers.onKeyDown}
      >
        <g role="row">
          {slots.map((slot, i) => (
            <g
              key={slot.bucketMs}
              id={`${cellId}-${i}`}
              role="gridcell"
              aria-label={slotLabel(slot, format)}
              aria-selected={(visible && inSelection(selected, { column: i, row: 0 })) || undefined}
            >
              {/* A cell without bars still needs a box to be found and announced. */}
              <rect
                x={xOf(slot.startMs)}
                y={0}
                width={xOf(slot.endMs) - xOf(slot.startMs)}
                height={plotHeight}
                fill="transparent"
              />
              {(segmentsOf.get(slot.bucketMs) ?? []).map(drawSegment)}
            </g>
          ))}
        </g>
        {segments.filter((s) => !slotted.has(s.timeMs)).map(drawSegment)}
        <line
          aria-hidden
          x1={0}
          x2={width}
          y1={plotHeight}
          y2={plotHeight}
          stroke="currentColor"
          strokeOpacity={0.3}
        />
        {timeTicks(fromMs, toMs).map((t) => (
          <text
            key={t}
            aria-hidden
            x={xOf(t)}
            y={height - 3}
            fontSize={10}
            fill="var(--mantine-color-dimmed)"
          >
            {clockLabel(t, { spanMs })}
          </text>
        ))}
        {visible && selected && (
          <rect
            data-testid="keyboard-selection"
            aria-hidden
            x={xOf(slots[selected.column0]!.startMs)}
            y={0}
            width={xOf(slots[selected.column1]!.endMs) - xOf(slots[selected.column0]!.startMs)}
            height={plotHeight}
            fill="var(--mantine-color-blue-5)"
            fillOpacity={0.2}
            pointerEvents="none"
          />
        )}
        {visible && cursorSlot && (
          <KeyboardCursor
            x={xOf(cursorSlot.startMs)}
            width={xOf(cursorSlot.endMs) - xOf(cursorSlot.startMs)}
            height={plotHeight}
          />
        )}
        {drag && (
          <rect
            aria-hidden
            data-testid="brush"
            x={Math.min(drag.x0, drag.x1)}
            y={0}
            width={Math.abs(drag.x1 - drag.x0)}
            height={plotHeight}
            fill="var(--mantine-color-blue-5)"
            fillOpacity={0.2}
          />
        )}
      </svg>
      <VisuallyHidden role="status" aria-live="polite">
        {visible && brush?.anchor
          ? selectionAnnouncement(slots, brush.anchor.column, brush.cursor.column, format)
          : ''}
      </VisuallyHidden>
      <Group gap="md" mt={4}>
        {orderSeverities(totals.keys())
          .reverse()
          .map((name) => (
            <Text key={name} size="xs">
              <span style={{ color: severityColour(name) }}>■</span> {name}{' '}
              {totals.get(name)?.toLocaleString()}
            </Text>
          ))}
      </Group>
    </div>
  );
}

/**
 * The keyboard cursor: a dark line inside a light halo (the theme's text on its body colour), so
 * that it shows on every bar colour and in both themes.
 */
function KeyboardCursor({ x, width, height }: { x: number; width: number; height: number }) {
  const box = {
    x,
    y: 1,
    width,
    height: height - 2,
    fill: 'none',
    vectorEffect: 'non-scaling-stroke',
  } as const;
  return (
    <g aria-hidden data-testid="keyboard-cursor" pointerEvents="none">
      <rect {...box} stroke="var(--mantine-color-body)" strokeWidth={4} />
      <rect {...box} stroke="var(--mantine-color-text)" strokeWidth={2} />
    </g>
  );
}

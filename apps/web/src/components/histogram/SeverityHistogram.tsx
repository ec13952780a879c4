/**
 * Log counts over time, stacked per severity, in SVG (a few hundred rects; no chart library
 * needed). Dragging across the chart selects a range and calls `onBrush` with it (zoom).
 */
import { useRef, useState, type MouseEvent } from 'react';
import { Group, Text } from '@mantine/core';
import type { LogHistogram } from '@vigil/spec';
import { severityColour } from '../loglist/log-record.ts';
import { brushRange, orderSeverities, stackBars, timeTicks } from './histogram-geometry.ts';

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

const tickLabel = (ms: number, spanMs: number): string => {
  const d = new Date(ms);
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  return spanMs > 86_400_000 ? `${d.getMonth() + 1}/${d.getDate()} ${hm}` : hm;
};

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
  const [drag, setDrag] = useState<{ x0: number; x1: number } | undefined>(undefined);
  const plotHeight = height - AXIS_PX;
  const segments = stackBars(histogram, fromMs, toMs, width, plotHeight);
  const totals = new Map<string, number>();
  for (const s of segments) totals.set(s.severity, (totals.get(s.severity) ?? 0) + s.count);

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
        role="img"
        aria-label="Log severity histogram; drag across it to zoom into a time range"
        style={{ cursor: 'crosshair', userSelect: 'none', display: 'block' }}
        onMouseDown={(e) => setDrag({ x0: toX(e), x1: toX(e) })}
        onMouseMove={(e) => drag && setDrag({ x0: drag.x0, x1: toX(e) })}
        onMouseUp={finish}
        onMouseLeave={() => setDrag(undefined)}
      >
        {segments.map((s) => (
          <rect
            key={`${s.timeMs}-${s.severity}`}
            x={s.x}
            y={s.y}
            width={s.width}
            height={s.height}
            fill={severityColour(s.severity)}
          >
            <title>{`${new Date(s.timeMs).toLocaleString()}: ${s.count} ${s.severity}`}</title>
          </rect>
        ))}
        <line x1={0} x2={width} y1={plotHeight} y2={plotHeight} stroke="currentColor" strokeOpacity={0.3} />
        {timeTicks(fromMs, toMs).map((t) => (
          <text
            key={t}
            x={((t - fromMs) / (toMs - fromMs)) * width}
            y={height - 3}
            fontSize={10}
            fill="currentColor"
            fillOpacity={0.6}
          >
            {tickLabel(t, toMs - fromMs)}
          </text>
        ))}
        {drag && (
          <rect
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

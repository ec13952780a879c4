import { useState } from 'react';
import { formatDurationNs } from '../waterfall/format.ts';
import {
  selectionRange,
  type HeatmapCell,
  type HeatmapGrid,
  type HeatmapSelection,
} from './heatmap-buckets.ts';

/** Props of the latency heatmap. */
export interface HeatmapProps {
  readonly grid: HeatmapGrid;
  /** Called with the window and band of a completed drag (or a single click on a cell). */
  readonly onSelect: (selection: HeatmapSelection) => void;
  readonly heightPx?: number;
}

interface CellRef {
  readonly column: number;
  readonly row: number;
}

const WIDTH = 1000; // viewBox units; the SVG stretches to its container
const ERROR_RGB = '214, 51, 108';
const OK_RGB = '34, 139, 230';

const timeLabel = (ms: number): string =>
  new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function cellLabel(grid: HeatmapGrid, cell: HeatmapCell): string {
  const r = selectionRange(grid, cell, cell);
  const band = `${formatDurationNs(grid.edgesNs[cell.row]!)}–${formatDurationNs(grid.edgesNs[cell.row + 1]!)}`;
  const errors = cell.errorCount > 0 ? `, ${cell.errorCount} with errors` : '';
  return `${timeLabel(r.fromMs)}–${timeLabel(r.toMs)}, ${band}: ${cell.count} traces${errors}`;
}

/**
 * Latency heatmap: time on x, log duration on y, colour by count. Cells containing errors are red
 * and hatched (hatching so that they stand out without colour vision). Dragging a rectangle
 * selects a time window and duration band.
 */
export function Heatmap({ grid, onSelect, heightPx = 180 }: HeatmapProps) {
  const [anchor, setAnchor] = useState<CellRef | undefined>();
  const [current, setCurrent] = useState<CellRef | undefined>();
  const rows = grid.edgesNs.length - 1;
  const cellW = WIDTH / grid.columns;
  const cellH = heightPx / rows;
  // y grows downwards; long durations go on top.
  const y = (row: number): number => (rows - 1 - row) * cellH;
  const intensity = (count: number): number =>
    count === 0 ? 0 : 0.2 + 0.8 * (Math.log1p(count) / Math.log1p(Math.max(grid.maxCount, 1)));

  const finish = (cell: CellRef): void => {
    if (anchor) onSelect(selectionRange(grid, anchor, cell));
    setAnchor(undefined);
    setCurrent(undefined);
  };
  const sel =
    anchor && current
      ? {
          x: Math.min(anchor.column, current.column) * cellW,
          y: y(Math.max(anchor.row, current.row)),
          w: (Math.abs(anchor.column - current.column) + 1) * cellW,
          h: (Math.abs(anchor.row - current.row) + 1) * cellH,
        }
      : undefined;

  return (
    <figure style={{ margin: 0 }}>
      <div style={{ display: 'flex', gap: 4 }}>
        <div
          aria-hidden
          style={{
            display: 'flex',
            flexDirection: 'column-reverse',
            justifyContent: 'space-between',
            height: heightPx,
            fontSize: 10,
            color: 'var(--mantine-color-dimmed)',
            textAlign: 'right',
            minWidth: 44,
          }}
        >
          {grid.edgesNs.map((e) => (
            <span key={e}>{formatDurationNs(e)}</span>
          ))}
        </div>
        <svg
          role="grid"
          aria-label="Latency heatmap: drag to select a time window and duration band"
          viewBox={`0 0 ${WIDTH} ${heightPx}`}
          preserveAspectRatio="none"
          style={{
            width: '100%',
            height: heightPx,
            userSelect: 'none',
            cursor: 'crosshair',
            background: '#f8f9fa',
          }}
          onMouseLeave={() => {
            setAnchor(undefined);
            setCurrent(undefined);
          }}
        >
          <defs>
            <pattern id="heatmap-error-hatch" width="6" height="6" patternUnits="userSpaceOnUse">
              <path d="M0 6 L6 0" stroke="white" strokeWidth="1.5" />
            </pattern>
          </defs>
          {Array.from({ length: rows }, (_, row) => (
            <g role="row" key={row}>
              {grid.cells.slice(row * grid.columns, (row + 1) * grid.columns).map((cell) => (
                <rect
                  key={cell.column}
                  role="gridcell"
                  aria-label={cellLabel(grid, cell)}
                  x={cell.column * cellW}
                  y={y(row)}
                  width={cellW}
                  height={cellH}
                  fill={
                    cell.count === 0
                      ? 'transparent'
                      : `rgba(${cell.errorCount > 0 ? ERROR_RGB : OK_RGB}, ${intensity(cell.count)})`
                  }
                  onMouseDown={(e) => {
                    e.preventDefault(); // no text selection while dragging
                    setAnchor(cell);
                    setCurrent(cell);
                  }}
                  onMouseEnter={() => anchor && setCurrent(cell)}
                  onMouseUp={() => finish(cell)}
                />
              ))}
            </g>
          ))}
          {grid.cells
            .filter((c) => c.errorCount > 0)
            .map((c) => (
              <rect
                key={`e${c.row}:${c.column}`}
                aria-hidden
                x={c.column * cellW}
                y={y(c.row)}
                width={cellW}
                height={cellH}
                fill="url(#heatmap-error-hatch)"
                pointerEvents="none"
              />
            ))}
          {sel && (
            <rect
              aria-hidden
              x={sel.x}
              y={sel.y}
              width={sel.w}
              height={sel.h}
              fill="rgba(0,0,0,0.08)"
              stroke="#1a1b1e"
              strokeWidth={2}
              vectorEffect="non-scaling-stroke"
              pointerEvents="none"
            />
          )}
        </svg>
      </div>
      <div
        aria-hidden
        style={{
          display: 'flex',
          justifyContent: 'space-between',
          fontSize: 10,
          color: 'var(--mantine-color-dimmed)',
          marginLeft: 48,
        }}
      >
        <span>{timeLabel(grid.fromMs)}</span>
        <span>{timeLabel((grid.fromMs + grid.toMs) / 2)}</span>
        <span>{timeLabel(grid.toMs)}</span>
      </div>
      <figcaption style={{ fontSize: 12 }}>
        Blue: traces (darker = more). Red and hatched: cells with errors. Drag across cells to narrow the
        search.
      </figcaption>
    </figure>
  );
}

import { useId, useState, type CSSProperties } from 'react';
import { formatDurationNs } from '../waterfall/format.ts';
import focus from '../keyboard-brush/focus-ring.module.css';
import {
  selectionCounts,
  selectionRange,
  type HeatmapCell,
  type HeatmapGrid,
  type HeatmapSelection,
} from './heatmap-buckets.ts';
import { brushBounds, inSelection, type GridPoint } from '../keyboard-brush/keyboard-brush.ts';
import { useKeyboardBrush } from '../keyboard-brush/use-keyboard-brush.ts';

/** Props of the latency heatmap. */
export interface HeatmapProps {
  readonly grid: HeatmapGrid;
  /**
   * Called with the window and band of a completed drag (or a single click on a cell), or of a
   * keyboard selection applied with Enter.
   */
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

/** "14:05:00–14:06:00, 20ms–50ms: 3 traces, 1 with errors" for the rectangle between two cells. */
function rectangleLabel(grid: HeatmapGrid, a: GridPoint, b: GridPoint): string {
  const r = selectionRange(grid, a, b);
  const { count, errorCount } = selectionCounts(grid, a, b);
  const band = `${formatDurationNs(grid.edgesNs[Math.min(a.row, b.row)]!)}–${formatDurationNs(grid.edgesNs[Math.max(a.row, b.row) + 1]!)}`;
  const errors = errorCount > 0 ? `, ${errorCount} with errors` : '';
  return `${timeLabel(r.fromMs)}–${timeLabel(r.toMs)}, ${band}: ${count} traces${errors}`;
}

const cellLabel = (grid: HeatmapGrid, cell: HeatmapCell): string => rectangleLabel(grid, cell, cell);

// The usual visually-hidden recipe: read by screen readers, not drawn.
const VISUALLY_HIDDEN: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
};

/**
 * Latency heatmap: time on x, log duration on y, colour by count. Cells containing errors are red
 * and hatched (hatching so that they stand out without colour vision). Dragging a rectangle
 * selects a time window and duration band.
 */
export function Heatmap({ grid, onSelect, heightPx = 180 }: HeatmapProps) {
  const [anchor, setAnchor] = useState<CellRef | undefined>();
  const [current, setCurrent] = useState<CellRef | undefined>();
  const cellId = useId();
  const rows = grid.edgesNs.length - 1;
  const keyboard = useKeyboardBrush({ columns: grid.columns, rows }, (a, b) =>
    onSelect(selectionRange(grid, a, b)),
  );
  const { brush, visible } = keyboard;
  const selected = brushBounds(brush);
  const idOf = (p: GridPoint): string => `${cellId}-${p.column}-${p.row}`;
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
          aria-label="Latency heatmap: drag, or use the arrow keys with Shift and Enter, to select a time window and duration band"
          aria-multiselectable
          aria-activedescendant={brush ? idOf(brush.cursor) : undefined}
          tabIndex={0}
          className={focus.focusRing}
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
          onMouseDown={keyboard.handlers.onMouseDown}
          onFocus={keyboard.handlers.onFocus}
          onBlur={keyboard.handlers.onBlur}
          onKeyDown={keyboard.handlers.onKeyDown}
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
                  id={idOf(cell)}
                  role="gridcell"
                  aria-label={cellLabel(grid, cell)}
                  aria-selected={(visible && inSelection(selected, cell)) || undefined}
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
          {visible && selected && (
            <rect
              aria-hidden
              data-testid="keyboard-selection"
              x={selected.column0 * cellW}
              y={y(selected.row1)}
              width={(selected.column1 - selected.column0 + 1) * cellW}
              height={(selected.row1 - selected.row0 + 1) * cellH}
              fill="rgba(0,0,0,0.08)"
              stroke="#1a1b1e"
              strokeWidth={2}
              strokeDasharray="6 3"
              vectorEffect="non-scaling-stroke"
              pointerEvents="none"
            />
          )}
          {visible && brush && (
            <g aria-hidden data-testid="keyboard-cursor" pointerEvents="none">
              {/* A dark line in a white halo: visible on empty, pale and dark cells alike. */}
              {[
                { stroke: 'white', width: 5 },
                { stroke: '#1a1b1e', width: 2.5 },
              ].map((line) => (
                <rect
                  key={line.stroke}
                  x={brush.cursor.column * cellW}
                  y={y(brush.cursor.row)}
                  width={cellW}
                  height={cellH}
                  fill="none"
                  stroke={line.stroke}
                  strokeWidth={line.width}
                  vectorEffect="non-scaling-stroke"
                />
              ))}
            </g>
          )}
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
      <span role="status" aria-live="polite" style={VISUALLY_HIDDEN}>
        {visible && brush?.anchor
          ? `Selected ${rectangleLabel(grid, brush.anchor, brush.cursor)}. Enter applies, Escape clears.`
          : ''}
      </span>
      <figcaption style={{ fontSize: 12, color: 'var(--mantine-color-dimmed)' }}>
        Blue: traces (darker = more). Red and hatched: cells with errors. Drag across cells, or use the arrow
        keys (Shift+arrows to extend, Enter to apply), to narrow the search.
      </figcaption>
    </figure>
  );
}

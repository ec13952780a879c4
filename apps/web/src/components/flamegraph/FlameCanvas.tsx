/**
 * The interactive canvas of a flame graph: draws the rects, shows a tooltip on hover, zooms on
 * click or Enter, and moves a keyboard selection with the arrow keys (announced in a live region).
 */
import { useEffect, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { Paper, VisuallyHidden } from '@mantine/core';
import { drawFlameGraph, ROW_HEIGHT_PX } from './flame-draw.ts';
import { hitTest, rowCount, type FlameRect } from './flame-layout.ts';
import { navigate } from './flame-nav.ts';

export interface FlameCanvasProps {
  rects: readonly FlameRect[];
  widthPx: number;
  colorOf: (rect: FlameRect, index: number) => string;
  /** Tooltip body for a frame. */
  describe: (rect: FlameRect) => ReactNode;
  /** One-line text for a frame, read out when the keyboard selection moves. */
  announce: (rect: FlameRect) => string;
  onZoom: (rect: FlameRect) => void;
  onReset: () => void;
  /** Accessible name of the canvas. */
  label: string;
}

interface Hover {
  index: number;
  xPx: number;
  yPx: number;
}

/** The flame graph canvas with hover tooltip, click-to-zoom and keyboard navigation. */
export function FlameCanvas(props: FlameCanvasProps): ReactNode {
  const { rects, widthPx, colorOf } = props;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<Hover | null>(null);
  const [selected, setSelected] = useState(-1);
  const rows = rowCount(rects);
  const highlighted = selected >= 0 ? selected : (hover?.index ?? -1);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null) return;
    drawFlameGraph(canvas, rects, rows, {
      widthPx,
      colorOf,
      highlighted,
      devicePixelRatio: window.devicePixelRatio || 1,
    });
  }, [rects, rows, widthPx, colorOf, highlighted]);

  const pointAt = (e: MouseEvent<HTMLCanvasElement>): Hover => {
    const box = e.currentTarget.getBoundingClientRect();
    const xPx = e.clientX - box.left;
    const yPx = e.clientY - box.top;
    return { index: hitTest(rects, xPx, Math.floor(yPx / ROW_HEIGHT_PX)), xPx, yPx };
  };

  const onKeyDown = (e: KeyboardEvent<HTMLCanvasElement>): void => {
    if (e.key === 'Escape') {
      setSelected(-1);
      props.onReset();
    } else if (e.key === 'Enter' && rects[selected] !== undefined) {
      props.onZoom(rects[selected]);
      setSelected(-1);
    } else if (e.key.startsWith('Arrow')) {
      e.preventDefault(); // the arrows would otherwise scroll the page
      setSelected(navigate(rects, selected, e.key));
    }
  };

  const hovered = hover !== null ? rects[hover.index] : undefined;
  const chosen = rects[selected];
  return (
    <div style={{ position: 'relative' }}>
      <canvas
        ref={canvasRef}
        role="application"
        aria-label={props.label}
        aria-roledescription="flame graph"
        tabIndex={0}
        style={{ display: 'block', cursor: 'pointer', height: rows * ROW_HEIGHT_PX }}
        onMouseMove={(e) => setHover(pointAt(e))}
        onMouseLeave={() => setHover(null)}
        onClick={(e) => {
          const r = rects[pointAt(e).index];
          if (r !== undefined) props.onZoom(r);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setSelected(-1)}
      />
      <VisuallyHidden role="status" aria-live="polite">
        {chosen !== undefined ? props.announce(chosen) : ''}
      </VisuallyHidden>
      {hover !== null && hovered !== undefined && (
        <Paper
          role="tooltip"
          shadow="md"
          p="xs"
          withBorder
          style={{
            position: 'absolute',
            pointerEvents: 'none',
            // Flip to the left half of the pointer near the right edge so it stays on screen.
            left: hover.xPx > widthPx * 0.6 ? undefined : hover.xPx + 12,
            right: hover.xPx > widthPx * 0.6 ? widthPx - hover.xPx + 12 : undefined,
            top: hover.yPx + 16,
            maxWidth: 480,
            zIndex: 10,
          }}
        >
          {props.describe(hovered)}
        </Paper>
      )}
    </div>
  );
}

/**
 * State and event handlers of a keyboard brush (keyboard-brush.ts) on one focusable chart: the
 * cursor appears when the chart is reached by keyboard or a brush key is pressed, and hides on
 * blur or a mouse press, so mouse users see the chart exactly as before.
 */
import { useState, type FocusEvent, type KeyboardEvent } from 'react';
import { brushKey, clampBrush, type GridPoint, type GridSize, type KeyboardBrush } from './keyboard-brush.ts';

export interface KeyboardBrushState {
  /** The brush, kept inside the grid; undefined until the chart is first focused. */
  readonly brush: KeyboardBrush | undefined;
  /** Whether to draw the cursor and selection (keyboard focus). */
  readonly visible: boolean;
  readonly handlers: {
    readonly onFocus: (e: FocusEvent<Element>) => void;
    readonly onBlur: () => void;
    readonly onMouseDown: () => void;
    readonly onKeyDown: (e: KeyboardEvent<Element>) => void;
  };
}

/** Focus that came from the keyboard; a browser (or test DOM) without `:focus-visible` counts as keyboard. */
function isKeyboardFocus(element: Element): boolean {
  try {
    return element.matches(':focus-visible');
  } catch {
    return true;
  }
}

/** A keyboard brush over a grid of `size`; `onApply` gets the corners of an applied rectangle. */
export function useKeyboardBrush(
  size: GridSize,
  onApply: (from: GridPoint, to: GridPoint) => void,
): KeyboardBrushState {
  const [stored, setStored] = useState<KeyboardBrush | undefined>(undefined);
  const [visible, setVisible] = useState(false);
  const usable = size.columns > 0 && size.rows > 0;
  const brush = stored && usable ? clampBrush(stored, size) : undefined;
  return {
    brush,
    visible: visible && brush !== undefined,
    handlers: {
      onFocus: (e) => {
        // Start at the origin so the grid has an active cell to announce from the first focus.
        if (!stored) setStored({ cursor: { column: 0, row: 0 } });
        setVisible(isKeyboardFocus(e.currentTarget));
      },
      onBlur: () => setVisible(false),
      onMouseDown: () => setVisible(false),
      onKeyDown: (e) => {
        // Alt+Left is the browser's Back, Ctrl+Home scrolls: modified keys are not ours.
        if (!usable || e.altKey || e.ctrlKey || e.metaKey) return;
        const result = brushKey(brush ?? { cursor: { column: 0, row: 0 } }, e, size);
        if (result.kind === 'ignored') return;
        e.preventDefault(); // arrows would scroll the page, Enter could submit a form
        setStored(result.brush);
        setVisible(true);
        if (result.kind === 'apply') onApply(result.from, result.to);
      },
    },
  };
}

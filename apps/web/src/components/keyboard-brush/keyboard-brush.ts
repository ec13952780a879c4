/**
 * The keyboard stand-in for a mouse brush over a grid of cells (the heatmap's time × duration
 * cells, the histogram's single row of time buckets). Pure: the components keep the state and
 * draw it; this decides what a key does to it.
 *
 *   row ▲  · · · · ·      arrows move the cursor (■), clamped to the grid;
 *       │  · □ □ ■ ·      Shift+arrows keep the anchor (the first □) and grow the rectangle;
 *       │  · □ □ □ ·      Enter applies the rectangle (or the cursor's cell alone),
 *       └──────────▶ column   Escape drops the selection but keeps the cursor.
 */

/** A cell: `column` along time, `row` upwards from the bottom (0 = the lowest row). */
export interface GridPoint {
  readonly column: number;
  readonly row: number;
}

export interface GridSize {
  readonly columns: number;
  readonly rows: number;
}

/** Where the cursor is, and where a Shift-selection started (none: no selection). */
export interface KeyboardBrush {
  readonly cursor: GridPoint;
  readonly anchor?: GridPoint;
}

/** What a key press means: a new brush, a rectangle to apply, or nothing for us (let it through). */
export type BrushKeyResult =
  | { readonly kind: 'move'; readonly brush: KeyboardBrush }
  | {
      readonly kind: 'apply';
      readonly from: GridPoint;
      readonly to: GridPoint;
      readonly brush: KeyboardBrush;
    }
  | { readonly kind: 'ignored' };

/** The key fields the brush looks at (a React or DOM KeyboardEvent has them). */
export interface BrushKey {
  readonly key: string;
  readonly shiftKey: boolean;
}

const clamp = (n: number, max: number): number => Math.min(Math.max(n, 0), Math.max(max, 0));

/** `point` moved inside a grid of `size` (a grid that shrank after new data pulls it back in). */
export function clampPoint(point: GridPoint, size: GridSize): GridPoint {
  return { column: clamp(point.column, size.columns - 1), row: clamp(point.row, size.rows - 1) };
}

/** The cursor after a navigation key, or undefined when `key` does not navigate. */
function moved(cursor: GridPoint, key: string, size: GridSize): GridPoint | undefined {
  const { column, row } = cursor;
  switch (key) {
    case 'ArrowLeft':
      return clampPoint({ column: column - 1, row }, size);
    case 'ArrowRight':
      return clampPoint({ column: column + 1, row }, size);
    // Up is towards higher rows because the components draw row 0 at the bottom.
    case 'ArrowUp':
      return clampPoint({ column, row: row + 1 }, size);
    case 'ArrowDown':
      return clampPoint({ column, row: row - 1 }, size);
    case 'Home':
      return { column: 0, row };
    case 'End':
      return clampPoint({ column: size.columns - 1, row }, size);
    default:
      return undefined;
  }
}

/** What `key` does to `brush` in a grid of `size`. */
export function brushKey(brush: KeyboardBrush, key: BrushKey, size: GridSize): BrushKeyResult {
  const next = moved(brush.cursor, key.key, size);
  if (next) {
    // Shift keeps (or starts) the selection at the old cursor; a plain move drops it, as in a
    // spreadsheet.
    const anchor = key.shiftKey ? (brush.anchor ?? brush.cursor) : undefined;
    return { kind: 'move', brush: anchor ? { cursor: next, anchor } : { cursor: next } };
  }
  if (key.key === 'Enter')
    return {
      kind: 'apply',
      from: brush.anchor ?? brush.cursor,
      to: brush.cursor,
      brush: { cursor: brush.cursor },
    };
  // Escape with nothing selected is not ours: a dialog around the chart may want it.
  if (key.key === 'Escape' && brush.anchor) return { kind: 'move', brush: { cursor: brush.cursor } };
  return { kind: 'ignored' };
}

/** Inclusive bounds of the selected rectangle; undefined without a selection. */
export interface BrushBounds {
  readonly column0: number;
  readonly column1: number;
  readonly row0: number;
  readonly row1: number;
}

/** The rectangle between the brush's anchor and cursor, or undefined when nothing is selected. */
export function brushBounds(brush: KeyboardBrush | undefined): BrushBounds | undefined {
  if (!brush?.anchor) return undefined;
  const { anchor, cursor } = brush;
  return {
    column0: Math.min(anchor.column, cursor.column),
    column1: Math.max(anchor.column, cursor.column),
    row0: Math.min(anchor.row, cursor.row),
    row1: Math.max(anchor.row, cursor.row),
  };
}

/** Whether `point` lies in the selected rectangle. */
export function inSelection(bounds: BrushBounds | undefined, point: GridPoint): boolean {
  return (
    bounds !== undefined &&
    point.column >= bounds.column0 &&
    point.column <= bounds.column1 &&
    point.row >= bounds.row0 &&
    point.row <= bounds.row1
  );
}

/** `brush` pulled inside a grid of `size` (the grid can shrink when new data arrives). */
export function clampBrush(brush: KeyboardBrush, size: GridSize): KeyboardBrush {
  const cursor = clampPoint(brush.cursor, size);
  return brush.anchor ? { cursor, anchor: clampPoint(brush.anchor, size) } : { cursor };
}

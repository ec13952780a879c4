/**
 * A minimal row-windowing hook: which rows of a fixed-height list intersect the viewport. The
 * waterfall of a 10,000-span trace renders only these (plus a few above and below), so scrolling
 * stays smooth and the DOM stays small.
 */
import { useCallback, useState, type UIEvent } from 'react';

export interface RowWindow {
  /** First row to render (inclusive). */
  readonly start: number;
  /** Row after the last one to render (exclusive). */
  readonly end: number;
  /** Height of the whole list, for the scroll spacer. */
  readonly totalHeightPx: number;
  readonly onScroll: (event: UIEvent<HTMLElement>) => void;
}

/** Pure window computation, exported for tests and for callers that track scroll themselves. */
export function rowWindow(
  scrollTopPx: number,
  viewportHeightPx: number,
  rowHeightPx: number,
  rowCount: number,
  overscanRows: number,
): { start: number; end: number } {
  const first = Math.floor(Math.max(0, scrollTopPx) / rowHeightPx);
  const visible = Math.ceil(viewportHeightPx / rowHeightPx) + 1;
  const start = Math.max(0, Math.min(first, rowCount) - overscanRows);
  const end = Math.min(rowCount, first + visible + overscanRows);
  return { start, end };
}

/**
 * The viewport height is given, not measured: the list has a fixed CSS height, and measuring
 * would render every row once before the first layout (and report 0 in jsdom).
 */
export function useWindowedRows(
  rowCount: number,
  rowHeightPx: number,
  viewportHeightPx: number,
  overscanRows = 8,
): RowWindow {
  const [scrollTopPx, setScrollTopPx] = useState(0);
  const onScroll = useCallback((event: UIEvent<HTMLElement>) => {
    setScrollTopPx(event.currentTarget.scrollTop);
  }, []);
  const { start, end } = rowWindow(scrollTopPx, viewportHeightPx, rowHeightPx, rowCount, overscanRows);
  return { start, end, totalHeightPx: rowCount * rowHeightPx, onScroll };
}

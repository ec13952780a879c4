/**
 * The messages list, virtualised: only the rows in view (plus a few) are in the DOM, so 100k
 * records scroll like 100. Collapsed rows have a fixed height; an expanded row is measured.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { observeElementRect, useVirtualizer, type Rect, type Virtualizer } from '@tanstack/react-virtual';
import type { LogView } from '@vigil/spec';
import { recordKey } from './log-record.ts';
import { LOG_ROW_PX as ROW_PX, LogRow } from './LogRow.tsx';
import { nextKeys, type RowKeys } from './row-keys.ts';
/** Within this many px of the bottom counts as "at the bottom" (sub-pixel scroll positions). */
const BOTTOM_SLACK_PX = 40;
/** Within this many rows of the top, older records are asked for (before the user hits the top). */
const REACH_START_ROWS = 20;

export interface LogListProps {
  /** Records oldest first. */
  readonly records: readonly LogView[];
  /** Keep the newest record in view as records arrive, unless the user scrolled up. */
  readonly follow: boolean;
  readonly height?: number;
  /** The list's size before it is laid out (and in tests, where nothing is laid out). */
  readonly initialRect?: Rect;
  /**
   * Called when the user scrolls near the top, to prepend older records; the rows in view stay
   * where they are when they arrive.
   */
  readonly onReachStart?: () => void;
}

type ListVirtualizer = Virtualizer<HTMLDivElement, Element>;

/**
 * The container's size, keeping the last real one when it reports 0×0: a list hidden in an
 * inactive tab (or a DOM without layout) would otherwise shrink the window to nothing.
 */
function observeNonEmptyRect(instance: ListVirtualizer, cb: (rect: Rect) => void): void | (() => void) {
  return observeElementRect(instance, (rect) => {
    if (rect.width > 0 && rect.height > 0) cb(rect);
  });
}

/** A row measuring 0 px is not laid out (hidden, or no layout); use the estimate instead. */
function measureRow(element: Element): number {
  const height = Math.round(element.getBoundingClientRect().height);
  return height > 0 ? height : ROW_PX;
}

/** The virtualised messages list; a click on a row expands or collapses it. */
export function LogList({ records, follow, height = 560, initialRect, onReachStart }: LogListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  // Whether the user is reading the end; scrolling up stops autoscroll until they return.
  const atBottom = useRef(true);
  // Row keys follow the records through prepends, appends and cuts (row-keys.ts); derived from
  // props during render, React's documented pattern.
  const [keys, setKeys] = useState<RowKeys>(() => ({ records, offset: 0, prepended: 0, replaced: false }));
  const current = keys.records === records ? keys : nextKeys(keys, records);
  if (current !== keys) setKeys(current);
  const { offset } = current;
  // Stable between list changes: the virtualiser recomputes every row's position (100,000 of
  // them) whenever this function changes.
  const getItemKey = useCallback((index: number) => index + offset, [offset]);

  const virtualizer = useVirtualizer({
    count: records.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_PX,
    getItemKey,
    // Rows beyond the edges: enough that a wheel step shows no gap, few enough that a fast scroll,
    // which mounts a whole new window every frame, stays inside the frame (bench/web-logs.ts).
    overscan: 5,
    initialRect: initialRect ?? { width: 800, height },
    observeElementRect: observeNonEmptyRect,
    measureElement: measureRow,
  });

  const onToggle = useCallback((record: LogView) => {
    const key = recordKey(record);
    setExpanded((prev) => {
      const next = new Set(prev);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  }, []);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    atBottom.current = el.scrollTop + el.clientHeight >= el.scrollHeight - BOTTOM_SLACK_PX;
    if (el.scrollTop < REACH_START_ROWS * ROW_PX) onReachStart?.();
  };

  // Older records prepended: move the scroll position down by their height before the browser
  // paints, so the rows the user is reading do not jump (the new rows are unmeasured, so their
  // height is the estimate; a collapsed row is exactly that). A new list forgets measured sizes.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el && current.prepended > 0) el.scrollTop += current.prepended * ROW_PX;
    if (current.replaced) virtualizer.measure();
  }, [current, virtualizer]);

  useEffect(() => {
    if (follow && atBottom.current && records.length > 0)
      virtualizer.scrollToIndex(records.length - 1, { align: 'end' });
  }, [follow, records, virtualizer]);

  return (
    <div
      ref={scrollRef}
      onScroll={onScroll}
      style={{ height, overflowY: 'auto', contain: 'strict' }}
      role="list"
      aria-label="Log messages"
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const record = records[item.index];
          if (!record) return null;
          const isExpanded = expanded.has(recordKey(record));
          return (
            <div
              key={item.key}
              role="listitem"
              // Screen readers learn the list's real length, not the window's.
              aria-setsize={records.length}
              aria-posinset={item.index + 1}
              data-index={item.index}
              // A collapsed row is exactly the estimate, so only expanded rows (and rows still
              // sized as expanded after collapsing) are measured: observing every row mounted
              // during a fast scroll is work for nothing.
              ref={isExpanded || item.size !== ROW_PX ? virtualizer.measureElement : undefined}
              style={{
                position: 'absolute',
                top: 0,
                left: 0,
                width: '100%',
                transform: `translateY(${item.start}px)`,
              }}
            >
              <LogRow record={record} expanded={isExpanded} onToggle={onToggle} />
            </div>
          );
        })}
      </div>
    </div>
  );
}

/**
 * The messages list, virtualised: only the rows in view (plus a few) are in the DOM, so 100k
 * records scroll like 100. Rows are measured after render because an expanded row is taller.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { observeElementRect, useVirtualizer, type Rect, type Virtualizer } from '@tanstack/react-virtual';
import type { LogView } from '@vigil/spec';
import { recordKey } from './log-record.ts';
import { LogRow } from './LogRow.tsx';

/** A collapsed row's height (px): the estimate before measuring. */
const ROW_PX = 29;
/** Within this many px of the bottom counts as "at the bottom" (sub-pixel scroll positions). */
const BOTTOM_SLACK_PX = 40;

export interface LogListProps {
  /** Records oldest first. */
  readonly records: readonly LogView[];
  /** Keep the newest record in view as records arrive, unless the user scrolled up. */
  readonly follow: boolean;
  readonly height?: number;
  /** The list's size before it is laid out (and in tests, where nothing is laid out). */
  readonly initialRect?: Rect;
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
export function LogList({ records, follow, height = 560, initialRect }: LogListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  // Whether the user is reading the end; scrolling up stops autoscroll until they return.
  const atBottom = useRef(true);

  const virtualizer = useVirtualizer({
    count: records.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_PX,
    getItemKey: (index) => (records[index] ? recordKey(records[index]) : index),
    overscan: 8,
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
    if (el) atBottom.current = el.scrollTop + el.clientHeight >= el.scrollHeight - BOTTOM_SLACK_PX;
  };

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
          return (
            <div
              key={item.key}
              role="listitem"
              // Screen readers learn the list's real length, not the window's.
              aria-setsize={records.length}
              aria-posinset={item.index + 1}
              data-index={item.index}
              ref={virtualizer.measureElement}
              style={{
                position: 'absolute',
                top: 0,
                left: 0,
                width: '100%',
                transform: `translateY(${item.start}px)`,
              }}
            >
              <LogRow record={record} expanded={expanded.has(String(item.key))} onToggle={onToggle} />
            </div>
          );
        })}
      </div>
    </div>
  );
}

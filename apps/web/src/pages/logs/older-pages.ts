/**
 * Paging back in time through a log search. The server answers at most LOG_LIMIT records per
 * request, newest first in [from, to); the messages list shows more by asking again with `to`
 * at the oldest record held, the way the list grows when the user scrolls to its top.
 *
 * `to` is exclusive and in milliseconds while records carry nanoseconds, so the next page asks
 * up to and including the oldest record's millisecond and drops the records of that millisecond
 * it already holds (`skipKeys`). A full page inside one millisecond could never move the cursor:
 * then the rest of that millisecond is skipped, the one case where records are left out.
 */
import type { LogView } from '@vigil/spec';
import { recordKey, recordMs } from '../../components/loglist/log-record.ts';

/** Records per request: the server's maximum. */
export const LOG_LIMIT = 1000;

/**
 * Most records the messages list holds (100 pages): scrolling further back stops there; a
 * narrower range or a filter reaches older records.
 */
export const MAX_LOG_RECORDS = 100_000;

/** Where the next older page ends, in the search's resolved range. */
export interface OlderCursor {
  readonly fromMs: number;
  /** Exclusive end of the next request. */
  readonly toMs: number;
  /** Records of the millisecond `toMs - 1` already held. */
  readonly skipKeys: readonly string[];
}

/** One answer: its records oldest first (already held ones dropped) and whether it was full. */
export interface LogPage {
  readonly fromMs: number;
  readonly toMs: number;
  readonly records: readonly LogView[];
  /** The server had LOG_LIMIT records to give: older ones may exist. */
  readonly full: boolean;
}

/** The page's records without those the cursor says are held. */
export function dropHeld(records: readonly LogView[], skipKeys: readonly string[]): readonly LogView[] {
  if (skipKeys.length === 0) return records;
  const held = new Set(skipKeys);
  return records.filter((r) => !held.has(recordKey(r)));
}

/** The cursor of the page older than `page`, or undefined when there is none or the list is full. */
export function olderPageCursor(
  page: LogPage,
  heldCount: number,
  cap = MAX_LOG_RECORDS,
): OlderCursor | undefined {
  const oldest = page.records[0];
  if (!page.full || oldest === undefined || heldCount >= cap) return undefined;
  const oldestMs = recordMs(oldest);
  if (oldestMs <= page.fromMs) return undefined;
  const skipKeys: string[] = [];
  for (const r of page.records) {
    if (recordMs(r) !== oldestMs) break;
    skipKeys.push(recordKey(r));
  }
  if (skipKeys.length === page.records.length) return { fromMs: page.fromMs, toMs: oldestMs, skipKeys: [] };
  return { fromMs: page.fromMs, toMs: oldestMs + 1, skipKeys };
}

/** The held records oldest first: pages arrive newest first, each oldest first. */
export function joinPages(pages: readonly LogPage[]): readonly LogView[] {
  if (pages.length === 1) return pages[0]!.records;
  const joined: LogView[] = [];
  for (let i = pages.length - 1; i >= 0; i--) for (const r of pages[i]!.records) joined.push(r);
  return joined;
}

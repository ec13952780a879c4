/**
 * Keys of the messages list's rows: plain numbers (`index + offset`) that stay with a record
 * while the list changes the ways it does — older pages put in front, the live tail appending at
 * the end and cutting the oldest off. The virtualiser looks a key up for every one of up to
 * 100,000 rows whenever positions are recomputed; a string built from each record there cost
 * seconds per scroll in Chromium (bench/web-logs.ts).
 *
 * ```
 * records     [a b c]            offset 0   keys 0 1 2
 * prepend     [x y a b c]        offset -2  keys -2 -1 0 1 2   (a keeps 0)
 * cut front   [b c d]            offset 1   keys 1 2 3        (b keeps 1)
 * replaced    [p q]              offset 3   keys 3 4          (none reused from the last list)
 * ```
 */
import type { LogView } from '@vigil/spec';

export interface RowKeys {
  readonly records: readonly LogView[];
  /** Key of the row at index i is i + offset. */
  readonly offset: number;
  /** Records put in front of the previous first one by this change (0 otherwise). */
  readonly prepended: number;
  /** The list was replaced (a new search), not extended or cut. */
  readonly replaced: boolean;
}

/** The keys after the list changed from `prev.records` to `records`. */
export function nextKeys(prev: RowKeys, records: readonly LogView[]): RowKeys {
  const before = prev.records;
  const oldFirst = before[0];
  const newFirst = records[0];
  const same = { records, offset: prev.offset, prepended: 0, replaced: false };
  if (oldFirst === undefined) return { ...same, replaced: records.length > 0 };
  if (newFirst === oldFirst) return same;
  const prepended = newFirst === undefined ? -1 : records.indexOf(oldFirst);
  if (prepended > 0) return { ...same, offset: prev.offset - prepended, prepended };
  const cut = newFirst === undefined ? -1 : before.indexOf(newFirst);
  if (cut > 0) return { ...same, offset: prev.offset + cut };
  return { ...same, offset: prev.offset + before.length, replaced: true };
}

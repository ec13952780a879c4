import { describe, expect, it } from 'vitest';
import { recordKey } from '../../components/loglist/log-record.ts';
import { dropHeld, joinPages, olderPageCursor, type LogPage } from './older-pages.ts';
import { logAt } from './test-harness.tsx';

const FROM_MS = 1_700_000_000_000;
const TO_MS = FROM_MS + 3_600_000;

/** A page of records at the given ms, oldest first; full unless said otherwise. */
const page = (ms: readonly number[], full = true): LogPage => ({
  fromMs: FROM_MS,
  toMs: TO_MS,
  records: ms.map((t, i) => logAt(t, `m${t}-${i}`)),
  full,
});

describe('olderPageCursor', () => {
  const cases: Array<{ name: string; page: LogPage; held?: number; cap?: number; want: unknown }> = [
    {
      name: 'asks up to and including the oldest millisecond, skipping the records of it held',
      page: page([FROM_MS + 10, FROM_MS + 10, FROM_MS + 11]),
      want: { fromMs: FROM_MS, toMs: FROM_MS + 11, skip: 2 },
    },
    { name: 'stops after a page that was not full', page: page([FROM_MS + 10], false), want: undefined },
    { name: 'stops at the start of the range', page: page([FROM_MS, FROM_MS + 1]), want: undefined },
    {
      name: 'stops when the list holds the cap',
      page: page([FROM_MS + 10]),
      held: 5,
      cap: 5,
      want: undefined,
    },
    { name: 'stops on an empty page', page: page([]), want: undefined },
    {
      name: 'skips a millisecond that fills a whole page (the cursor could not move otherwise)',
      page: page([FROM_MS + 10, FROM_MS + 10]),
      want: { fromMs: FROM_MS, toMs: FROM_MS + 10, skip: 0 },
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const cursor = olderPageCursor(c.page, c.held ?? c.page.records.length, c.cap);
      expect(cursor && { fromMs: cursor.fromMs, toMs: cursor.toMs, skip: cursor.skipKeys.length }).toEqual(
        c.want,
      );
    });

  it('names the held records of the oldest millisecond by their keys', () => {
    const p = page([FROM_MS + 10, FROM_MS + 11]);
    expect(olderPageCursor(p, 2)?.skipKeys).toEqual([recordKey(p.records[0]!)]);
  });
});

describe('dropHeld', () => {
  it('drops the records the cursor names and keeps the rest in order', () => {
    const held = logAt(FROM_MS + 5, 'held');
    const older = logAt(FROM_MS + 4, 'older');
    const sameMs = logAt(FROM_MS + 5, 'same millisecond, not held');
    expect(dropHeld([older, held, sameMs], [recordKey(held)])).toEqual([older, sameMs]);
  });
});

describe('joinPages', () => {
  it('puts older pages first, keeping each page oldest first', () => {
    const newest = page([FROM_MS + 20, FROM_MS + 21]);
    const older = page([FROM_MS + 10, FROM_MS + 11]);
    expect(joinPages([newest, older]).map((r) => r.body)).toEqual([
      ...older.records.map((r) => r.body),
      ...newest.records.map((r) => r.body),
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import type { LogView } from '@vigil/spec';
import { mergeTail, oldestFirst } from './live-tail.ts';

const rec = (ms: number, body = `m${ms}`): LogView => ({
  timestampUnixNano: (BigInt(ms) * 1_000_000n).toString(),
  serviceName: 's',
  severityText: 'INFO',
  severityNumber: 9,
  body,
  traceId: '',
  spanId: '',
  attributes: {},
  resourceAttributes: {},
});
const bodies = (list: readonly LogView[]) => list.map((r) => r.body);

describe('mergeTail', () => {
  it('appends newer records oldest first', () => {
    expect(bodies(mergeTail([rec(1), rec(2)], [rec(4), rec(3)]))).toEqual(['m1', 'm2', 'm3', 'm4']);
  });

  it('skips records already shown, so overlapping polls add nothing twice', () => {
    const shown = [rec(1), rec(2)];
    const merged = mergeTail(shown, [rec(2), rec(3), rec(3)]);
    expect(bodies(merged)).toEqual(['m1', 'm2', 'm3']);
    expect(mergeTail(merged, [rec(3)])).toBe(merged);
  });

  it('keeps two different records logged in the same nanosecond', () => {
    expect(bodies(mergeTail([rec(5, 'a')], [rec(5, 'b')]))).toEqual(['a', 'b']);
  });

  it('sorts a late record into place', () => {
    expect(bodies(mergeTail([rec(1), rec(3)], [rec(2)]))).toEqual(['m1', 'm2', 'm3']);
  });

  it('keeps only the newest `cap` records', () => {
    expect(bodies(mergeTail([rec(1), rec(2)], [rec(3), rec(4)], 3))).toEqual(['m2', 'm3', 'm4']);
  });

  it('returns the list itself when nothing arrives, cut to `cap` only when it is over', () => {
    const shown = [rec(1), rec(2), rec(3)];
    expect(mergeTail(shown, [])).toBe(shown);
    expect(bodies(mergeTail(shown, [], 2))).toEqual(['m2', 'm3']);
  });

  it('finds a repeat of the oldest incoming record among many older ones', () => {
    const shown = Array.from({ length: 1000 }, (_, i) => rec(i));
    const merged = mergeTail(shown, [rec(1000), rec(998), rec(999)], 2000);
    expect(merged).toHaveLength(1001);
    expect(bodies(merged.slice(-3))).toEqual(['m998', 'm999', 'm1000']);
  });
});

describe('oldestFirst', () => {
  it('reverses the API order without mutating it', () => {
    const api = [rec(3), rec(2), rec(1)];
    expect(bodies(oldestFirst(api))).toEqual(['m1', 'm2', 'm3']);
    expect(bodies(api)).toEqual(['m3', 'm2', 'm1']);
  });
});

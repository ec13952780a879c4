import { describe, expect, it } from 'vitest';
import type { AttributeMap } from '@vigil/protocols';
import { LOG_COLUMNS } from '../logs.ts';
import { SPAN_COLUMNS } from '../spans.ts';
import { maps, SharedMaps, sharedMaps, timestamps, uint64s, uint8s } from './columns.ts';
import { LOG_NATIVE_COLUMNS } from './logs.ts';
import { SPAN_NATIVE_COLUMNS } from './spans.ts';
import type { ColumnStream } from './chunk.ts';

/** The streams as the block would carry them (offsets as UInt64), in hex. */
function hex(streams: ColumnStream | readonly ColumnStream[]): string {
  const list = Array.isArray(streams) ? streams : [streams as ColumnStream];
  return list
    .map((s) => (s instanceof Uint32Array ? [...s].map((n) => u64(BigInt(n))).join('') : s.toString('hex')))
    .join('');
}

const u64 = (n: bigint): string => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b.toString('hex');
};

describe('Native column data', () => {
  it.each([
    [1_700_000_000_123_456_789n, 1_700_000_000_123_456_789n],
    [0n, 0n],
    [-1n, 0n], // before the epoch: clamped like the TSV encoder
    [2n ** 64n - 1n, 2n ** 63n - 1n], // past DateTime64(9)'s Int64: its maximum, not a wrap
  ])('writes the timestamp %s ns as %s', (ns, stored) => {
    expect(hex(timestamps([ns], (x) => x))).toBe(u64(stored));
  });

  it.each([
    [0, 0n],
    [1.9, 1n],
    [-5, 0n],
    [Number.NaN, 0n],
    [2 ** 53 - 1, 2n ** 53n - 1n],
    [2 ** 60, 2n ** 60n],
    [Number.POSITIVE_INFINITY, 2n ** 64n - 2048n],
  ])('writes the duration %d as UInt64 %s', (n, stored) => {
    expect(hex(uint64s([n], (x) => x))).toBe(u64(stored));
  });

  it('writes UInt8 values outside 0-255 as 0, like the TSV encoder', () => {
    expect(hex(uint8s([0, 17, 255, 256, -1, 3.7], (x) => x))).toBe('0011ff000003');
  });

  it('writes a map column as offsets, then every key, then every value', () => {
    const rows: AttributeMap[] = [{ a: '1', b: '2' }, {}, { c: '3' }];
    const offsets = [2n, 2n, 3n].map(u64).join('');
    expect(hex(maps(rows, (x) => x))).toBe(`${offsets}016101620163013101320133`);
  });

  it('writes shared maps exactly like the same maps encoded row by row', () => {
    const shared = { 'service.name': 'api', ü: '🎉', long: 'x'.repeat(300) };
    const rows: AttributeMap[] = [shared, {}, shared, { other: 'map' }, shared];
    const cache = new SharedMaps();
    expect(hex(sharedMaps(rows, (x) => x, cache))).toBe(hex(maps(rows, (x) => x)));
    expect(cache.get(shared)).toBe(cache.get(shared));
  });

  it('declares exactly the TSV encoders’ columns, in their order', () => {
    expect(SPAN_NATIVE_COLUMNS.map((c) => c.name)).toEqual([...SPAN_COLUMNS]);
    expect(LOG_NATIVE_COLUMNS.map((c) => c.name)).toEqual([...LOG_COLUMNS]);
  });
});

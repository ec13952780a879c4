import { describe, expect, it } from 'vitest';
import { RowBinaryReader } from './row-binary.ts';

/** RowBinary of Array(Float64): varUInt length, then the doubles little-endian. */
function float64Array(values: number[]): Buffer {
  const out = Buffer.alloc(1 + values.length * 8);
  out[0] = values.length;
  values.forEach((v, i) => out.writeDoubleLE(v, 1 + i * 8));
  return out;
}

function str(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from([bytes.length]), bytes]);
}

describe('RowBinaryReader float64Array', () => {
  it('reads arrays at odd offsets into separate views of one aligned buffer, raw bits kept', () => {
    // A NaN with a payload (the staleness marker's bits), written as bytes (a JS number would
    // quiet it): its bits must survive the copy.
    const staleBits = Buffer.from([0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x7f]);
    const withStale = float64Array([1.5, -2, 0]);
    staleBits.copy(withStale, 1 + 16);
    const buf = Buffer.concat([
      str('a'),
      withStale,
      str('label'),
      float64Array([]),
      float64Array([42, 1e300]),
    ]);
    const r = new RowBinaryReader(buf);
    expect(r.string()).toBe('a');
    const first = r.float64Array();
    expect(r.string()).toBe('label');
    const empty = r.float64Array();
    const last = r.float64Array();
    expect(r.done).toBe(true);
    expect(Array.from(first.subarray(0, 2))).toEqual([1.5, -2]);
    expect(Buffer.from(first.buffer, first.byteOffset + 16, 8)).toEqual(staleBits);
    expect(empty.length).toBe(0);
    expect(Array.from(last)).toEqual([42, 1e300]);
    // Views of one buffer that do not overlap: writing one leaves the other as read.
    expect(last.buffer).toBe(first.buffer);
    first[0] = 0;
    expect(Array.from(last)).toEqual([42, 1e300]);
  });

  it('refuses an array that runs past the end', () => {
    const buf = float64Array([1, 2]).subarray(0, 12);
    expect(() => new RowBinaryReader(buf).float64Array()).toThrow(/ends inside a value/);
  });
});

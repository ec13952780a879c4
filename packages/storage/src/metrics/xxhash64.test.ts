import { describe, expect, it } from 'vitest';
import { xxhash64 } from './xxhash64.ts';

const hex = (input: Buffer): string => {
  const out = new Uint32Array(2);
  xxhash64(input, 0, input.length, out);
  return out[0]!.toString(16).padStart(8, '0') + out[1]!.toString(16).padStart(8, '0');
};
const ff = Buffer.from([0xff]);

describe('xxhash64', () => {
  // Reference values from ClickHouse's xxHash64() (chDB 26.7) and the XXH64 test vectors.
  const cases: Array<[string, Buffer, string]> = [
    ['empty', Buffer.alloc(0), 'ef46db3751d8e999'],
    ['one byte', Buffer.from('a'), 'd24ec4f1a98c6e5b'],
    ['three bytes', Buffer.from('abc'), '44bc2cf5ad770999'],
    ['39 bytes (stripes + tail)', Buffer.from('Nobody inspects the spammish repetition'), 'fbcea83c8a378bf1'],
    ['100 bytes', Buffer.from('x'.repeat(100)), '92f0de5a88a3c094'],
    ['a label set', Buffer.concat([Buffer.from('__name__'), ff, Buffer.from('up'), ff]), '23d4c2cb13387598'],
  ];
  for (const [name, input, expected] of cases) {
    it(`hashes ${name} like ClickHouse`, () => {
      expect(hex(input)).toBe(expected);
    });
  }

  it('hashes a sub-range of a larger buffer', () => {
    const buf = Buffer.from('??abc??');
    const out = new Uint32Array(2);
    xxhash64(buf, 2, 5, out);
    expect(out[0]!.toString(16) + out[1]!.toString(16).padStart(8, '0')).toBe('44bc2cf5ad770999');
  });
});

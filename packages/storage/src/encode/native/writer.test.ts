import { describe, expect, it } from 'vitest';
import { NativeWriter } from './writer.ts';

const hex = (write: (w: NativeWriter) => void): string => {
  const w = new NativeWriter(16);
  write(w);
  return w.finish().toString('hex');
};

/** Reads back what `string` wrote: LEB128 lengths (padded or not) + UTF-8, as ClickHouse does. */
function readStrings(bytes: Buffer): { strings: string[]; paddedPrefixes: number } {
  const strings: string[] = [];
  let paddedPrefixes = 0;
  for (let pos = 0; pos < bytes.length;) {
    let length = 0;
    let shift = 1;
    let width = 0;
    for (;;) {
      const byte = bytes[pos++]!;
      width++;
      length += (byte & 0x7f) * shift;
      shift *= 128;
      if (byte < 0x80) break;
    }
    if (width > 1 && length < 128 ** (width - 1)) paddedPrefixes++;
    strings.push(bytes.toString('utf8', pos, pos + length));
    pos += length;
  }
  return { strings, paddedPrefixes };
}

describe('NativeWriter', () => {
  it.each([
    [0, '00'],
    [1, '01'],
    [127, '7f'],
    [128, '8001'],
    [300, 'ac02'],
    [16_384, '808001'],
    [2 ** 32, '8080808010'],
    [2 ** 53 - 1, 'ffffffffffffff0f'],
  ])('writes varUInt %d as %s', (n, expected) => {
    expect(hex((w) => w.varUInt(n))).toBe(expected);
  });

  it.each([
    [0, '0000000000000000'],
    [5, '0500000000000000'],
    [2 ** 32 + 5, '0500000001000000'],
    [2 ** 53 - 1, 'ffffffffffff1f00'],
    [2 ** 64 - 2048, '00f8ffffffffffff'],
  ])('writes UInt64 %d little-endian as %s', (n, expected) => {
    expect(hex((w) => w.uint64(n))).toBe(expected);
  });

  it('writes Int64 nanoseconds exactly, as chDB writes DateTime64(9)', () => {
    // 2024-01-01 00:00:00.000000001 from chDB's own `SELECT … FORMAT Native`.
    expect(hex((w) => w.int64(1_704_067_200_000_000_001n))).toBe('010065011710a617');
    expect(hex((w) => w.int64(2n ** 63n - 1n))).toBe('ffffffffffffff7f');
  });

  it.each([
    ['', '00'],
    ['x', '0178'],
    ['é', '02c3a9'],
    ['🎉', '04f09f8e89'],
    ['\uD800', '03efbfbd'], // a lone surrogate becomes U+FFFD, as Buffer.from does for TSV
    ['tab\there\0', '09746162096865726500'],
  ])('writes the string %j as %s', (value, expected) => {
    expect(hex((w) => w.string(value))).toBe(expected);
  });

  it('writes a 200-character string with a two-byte length', () => {
    expect(hex((w) => w.string('a'.repeat(200))).slice(0, 6)).toBe('c80161');
  });

  it('pads the length of a long string written next to non-ASCII text, which still reads back', () => {
    const w = new NativeWriter(16);
    w.string('é');
    w.string('a'.repeat(50)); // in the same queued chunk, so written one by one: prefix b2 00
    const bytes = w.finish();
    expect(bytes.subarray(3, 5).toString('hex')).toBe('b200');
    expect(readStrings(bytes)).toEqual({ strings: ['é', 'a'.repeat(50)], paddedPrefixes: 1 });
  });

  it('reads back every string of a long mixed sequence in order', () => {
    const pool = [
      '',
      'ascii',
      'é',
      '日本語',
      '🎉x',
      'a'.repeat(127),
      'b'.repeat(128),
      'ü'.repeat(43),
      'c'.repeat(70_000),
    ];
    const values = Array.from({ length: 3000 }, (_, i) => pool[(i * 7) % pool.length]!);
    const w = new NativeWriter(16);
    for (const v of values) w.string(v);
    expect(readStrings(w.finish()).strings).toEqual(values);
  });

  it('keeps fixed-width values after queued strings in order', () => {
    const h = (text: string): string => Buffer.from(text).toString('hex');
    expect(
      hex((w) => {
        w.block(2, 1);
        w.column('a', 'String');
        w.string('x');
        w.column('n', 'UInt8');
        w.uint8(5);
      }),
    ).toBe(`0201 0161 06${h('String')} 0178 016e 05${h('UInt8')} 05`.replaceAll(' ', ''));
  });
});

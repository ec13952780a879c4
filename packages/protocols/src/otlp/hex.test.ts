import { describe, expect, it } from 'vitest';
import { bytesToHex, isZeroBytes, isZeroHex, normalizeHexId } from './hex.ts';

describe('hex ids', () => {
  it('renders a byte range as lowercase hex', () => {
    const buf = Buffer.from([0xff, 0x00, 0x0a, 0xbc, 0x12]);
    expect(bytesToHex(buf, 1, 4)).toBe('000abc');
    expect(isZeroBytes(buf, 1, 2)).toBe(true);
    expect(isZeroBytes(buf, 1, 3)).toBe(false);
  });

  it.each([
    ['0af7651916cd43dd', 8, '0af7651916cd43dd'],
    ['0AF7651916CD43DD', 8, '0af7651916cd43dd'],
    ['0af7651916cd43d', 8, undefined],
    ['0af7651916cd43ddaa', 8, undefined],
    ['0af7651916cd43dg', 8, undefined],
    ['0af7651916cd43d ', 8, undefined],
    ['C6EX', 2, undefined],
  ])('normalizes %j (%i bytes) to %j', (text, byteLength, expected) => {
    expect(normalizeHexId(text, byteLength)).toBe(expected);
  });

  it('recognizes all-zero hex ids', () => {
    expect(isZeroHex('0000')).toBe(true);
    expect(isZeroHex('0001')).toBe(false);
  });
});

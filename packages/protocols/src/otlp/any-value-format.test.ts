import { describe, expect, it } from 'vitest';
import {
  compareUtf8,
  formatDouble,
  jsonDouble,
  jsonObject,
  jsonString,
  setAttribute,
} from './any-value-format.ts';

describe('formatDouble (pcommon AsString for doubles)', () => {
  it.each([
    [0, '0'],
    [-0, '-0'],
    [1, '1'],
    [0.1, '0.1'],
    [-2.5, '-2.5'],
    [1e-6, '0.000001'],
    [1e-7, '1e-7'],
    [1.5e-300, '1.5e-300'],
    [123456789012345680000, '123456789012345680000'],
    [1e21, '1e+21'],
    [2 ** 70, '1.1805916207174113e+21'],
    [Number.MAX_VALUE, '1.7976931348623157e+308'],
    [Number.MIN_VALUE, '5e-324'],
    [NaN, 'json: unsupported value: NaN'],
    [Infinity, 'json: unsupported value: +Inf'],
    [-Infinity, 'json: unsupported value: -Inf'],
  ])('renders %s as %s', (value, expected) => {
    expect(formatDouble(value)).toBe(expected);
  });

  it('makes nested NaN and infinities fail the enclosing JSON document, as Go does', () => {
    expect(jsonDouble(NaN)).toBeUndefined();
    expect(jsonDouble(Infinity)).toBeUndefined();
    expect(jsonDouble(-0)).toBe('-0');
  });
});

describe('jsonString (Go encoding/json escaping)', () => {
  it.each([
    ['plain', '"plain"'],
    ['quote " and \\ backslash', '"quote \\" and \\\\ backslash"'],
    ['<script>&</script>', '"\\u003cscript\\u003e\\u0026\\u003c/script\\u003e"'],
    ['line\u2028sep\u2029', '"line\\u2028sep\\u2029"'],
    ['\n\t\r\u0001', '"\\n\\t\\r\\u0001"'],
    ['émoji 🙂', '"émoji 🙂"'],
  ])('encodes %j as %s', (value, expected) => {
    expect(jsonString(value)).toBe(expected);
  });
});

describe('jsonObject (a Go map marshalled)', () => {
  it('sorts keys and keeps the last of repeated keys', () => {
    const members = [
      { key: 'b', value: '1' },
      { key: 'a', value: '2' },
      { key: 'b', value: '3' },
    ];
    expect(jsonObject(members)).toBe('{"a":2,"b":3}');
  });

  it('fails when a member failed, unless a later duplicate replaced it', () => {
    expect(jsonObject([{ key: 'a', value: undefined }])).toBeUndefined();
    expect(
      jsonObject([
        { key: 'a', value: undefined },
        { key: 'a', value: 'true' },
      ]),
    ).toBe('{"a":true}');
  });
});

describe('compareUtf8', () => {
  it('orders by code point, placing astral characters after the rest of the BMP', () => {
    const keys = ['\u{1F600}', '\uFF01', 'b', 'a', 'ab', ''];
    expect(keys.sort(compareUtf8)).toEqual(['', 'a', 'ab', 'b', '\uFF01', '\u{1F600}']);
  });
});

describe('setAttribute', () => {
  it('stores a key named __proto__ as data instead of changing the prototype', () => {
    const map: Record<string, string> = {};
    setAttribute(map, '__proto__', 'x');
    setAttribute(map, 'k', 'v');
    expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
    expect(Object.entries(map)).toEqual([
      ['__proto__', 'x'],
      ['k', 'v'],
    ]);
  });
});

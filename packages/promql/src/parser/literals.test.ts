import { describe, expect, it } from 'vitest';
import { parseDuration, parseGoFloat, parseNumber, unquoteString } from './literals.ts';

describe('parseDuration', () => {
  it.each([
    ['1ms', 1],
    ['15s', 15_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1d', 86_400_000],
    ['2w', 1_209_600_000],
    ['1y', 31_536_000_000],
    ['1y2w3d4h5m6s7ms', 31_536_000_000 + 1_209_600_000 + 259_200_000 + 14_400_000 + 300_000 + 6000 + 7],
    ['0s', 0],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5', '1m1h', '1.5h', '5M', '1h1h', '-5m', '300000000y'])('rejects %j', (text) => {
    expect(typeof parseDuration(text)).toBe('string');
  });
});

describe('parseNumber', () => {
  it.each([
    ['1', 1],
    ['-1.5', -1.5],
    ['+ 2', 2],
    ['.5e3', 500],
    ['1E-3', 0.001],
    ['0x1F', 31],
    ['010', 8],
    ['08', 8],
    ['Inf', Infinity],
    ['-inf', -Infinity],
  ])('reads %s as %d', (text, value) => {
    expect(parseNumber(text)).toBe(value);
  });

  it('reads NaN', () => {
    expect(parseNumber('NaN')).toBeNaN();
  });

  it.each(['5m', '1_000', '0x', 'abc'])('rejects %j', (text) => {
    expect(parseNumber(text)).toBeUndefined();
  });
});

describe('parseGoFloat', () => {
  it.each([
    ['0.25', 0.25],
    ['+Inf', Infinity],
    ['+inf', Infinity],
    ['-Infinity', -Infinity],
    ['2e-1', 0.2],
  ])('reads %s', (text, value) => {
    expect(parseGoFloat(text)).toBe(value);
  });

  it.each(['', 'x', '1,5', '+NaN'])('rejects %j', (text) => {
    expect(parseGoFloat(text)).toBeUndefined();
  });
});

describe('unquoteString', () => {
  it.each([
    ['"plain"', 'plain'],
    ['"a\\"b\\\\c\\n\\t"', 'a"b\\c\n\t'],
    ["'single \\' quote'", "single ' quote"],
    ['"\\x41\\u00e9\\U0001F600\\101"', 'Aé😀A'],
    ['`raw \\d+`', 'raw \\d+'],
  ])('unquotes %s', (text, value) => {
    expect(unquoteString(text)).toEqual({ value });
  });

  it.each(['"open', '"bad \\z"', '"\\x4"', '"\\400"'])('rejects %s', (text) => {
    expect(unquoteString(text)).toHaveProperty('error');
  });
});

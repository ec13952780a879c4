import { describe, expect, it } from 'vitest';
import { compileAnchoredRegex, expandTemplate } from './regex.ts';

describe('compileAnchoredRegex', () => {
  it.each([
    ['a|b', 'a', true],
    ['a|b', 'ab', false],
    ['foo.*', 'foobar', true],
    ['.*bar', 'foobar', true],
    ['oba', 'foobar', false],
    ['(?i)FOO', 'foo', true],
    ['(?P<x>a)b', 'ab', true],
    ['', '', true],
  ])('%s against %j is %s', (re, value, expected) => {
    expect(compileAnchoredRegex(re).test(value)).toBe(expected);
  });
});

describe('expandTemplate (Go regexp.Expand)', () => {
  const match = /^(?:(a)(b)(?<name>c)?)$/.exec('abc')!;
  it.each([
    ['$1', 'a'],
    ['${2}x', 'bx'],
    ['$2x', ''],
    ['$name', 'c'],
    ['${name}!', 'c!'],
    ['$$1', '$1'],
    ['$9', ''],
    ['cost: $', 'cost: $'],
    ['${1', '${1'],
  ])('expands %j to %j', (template, expected) => {
    expect(expandTemplate(template, match)).toBe(expected);
  });
});

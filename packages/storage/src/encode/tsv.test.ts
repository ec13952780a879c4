import { describe, expect, it } from 'vitest';
import { nsToDateTime64Text } from './timestamp.ts';
import { MapEncodingCache, tsvField, tsvMap, tsvQuoted } from './tsv.ts';

describe('TSV escaping', () => {
  it.each([
    ['plain text', 'plain text'],
    ['tab\there', 'tab\\there'],
    ['line\nbreak', 'line\\nbreak'],
    ['cr\rlf', 'cr\\rlf'],
    ['back\\slash', 'back\\\\slash'],
    ['nul\0byte', 'nul\\0byte'],
    ["quote ' stays", "quote ' stays"],
    ['unicode ünï 🎉', 'unicode ünï 🎉'],
  ])('writes the field %j as %j', (input, expected) => {
    expect(tsvField(input)).toBe(expected);
  });

  it.each([
    ['abc', "'abc'"],
    ["it's", "'it\\'s'"],
    ['a\\b', "'a\\\\b'"],
    ['a\nb\tc', "'a\\nb\\tc'"],
    ['', "''"],
  ])('quotes %j inside literals as %j', (input, expected) => {
    expect(tsvQuoted(input)).toBe(expected);
  });

  it('writes a map literal with quoted keys and values in insertion order', () => {
    expect(tsvMap({ "k'1": 'v\n', b: '' })).toBe("{'k\\'1':'v\\n','b':''}");
    expect(tsvMap({})).toBe('{}');
  });

  it('encodes a shared map object once', () => {
    let calls = 0;
    const cache = new MapEncodingCache((m) => {
      calls++;
      return tsvMap(m);
    });
    const shared = { a: '1' };
    expect(cache.get(shared)).toBe(cache.get(shared));
    expect(cache.get({ a: '1' })).toBe("{'a':'1'}");
    expect(calls).toBe(2);
  });
});

describe('nsToDateTime64Text', () => {
  it.each([
    [1_700_000_000_123_456_789n, '1700000000.123456789'],
    [1_700_000_000_000_000_001n, '1700000000.000000001'],
    [1_000_000_000n, '1.000000000'],
    [999n, '0.000000999'],
    [0n, '0.000000000'],
    [-5n, '0.000000000'],
    [9_223_372_036_854_775_807n, '9223372036.854775807'],
  ])('writes %s ns as %s', (ns, text) => {
    expect(nsToDateTime64Text(ns)).toBe(text);
  });
});

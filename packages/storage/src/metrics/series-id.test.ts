import { describe, expect, it } from 'vitest';
import type { Label } from '@vigil/protocols';
import { canonicalLabels, seriesIdText, seriesIdWords, seriesKey } from './series-id.ts';

const l = (...pairs: string[]): Label[] => {
  const out: Label[] = [];
  for (let i = 0; i < pairs.length; i += 2) out.push({ name: pairs[i]!, value: pairs[i + 1]! });
  return out;
};

describe('canonicalLabels', () => {
  it('returns sorted labels without empty values unchanged (same array)', () => {
    const labels = l('__name__', 'up', 'job', 'x');
    expect(canonicalLabels(labels)).toBe(labels);
  });
  it('sorts and drops empty values otherwise', () => {
    expect(canonicalLabels(l('job', 'x', 'env', '', '__name__', 'up'))).toEqual(
      l('__name__', 'up', 'job', 'x'),
    );
  });
});

describe('seriesKey', () => {
  it('tells apart label sets that would collide under a separator', () => {
    const keys = [
      seriesKey(l('a', 'x\u00ffb\u00ffy')),
      seriesKey(l('a', 'x', 'b', 'y')),
      seriesKey(l('a', 'xb', 'c', '')),
      seriesKey(l('ab', 'x')),
      seriesKey(l('a', 'bx')),
      seriesKey(l('a', 'y'.repeat(70_000))),
      seriesKey(l('a', 'y'.repeat(70_001))),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('seriesIdWords', () => {
  it("is Prometheus's labels.Hash(): XXH64 of name 0xFF value 0xFF …", () => {
    expect(seriesIdText(...seriesIdWords(l('__name__', 'up')))).toBe(BigInt('0x23d4c2cb13387598').toString());
  });
  it('encodes names and values as UTF-8 and grows its buffer for long labels', () => {
    const long = l('__name__', 'm', 'v', 'ü'.repeat(5000));
    const [high, low] = seriesIdWords(long);
    expect(seriesIdWords(long)).toEqual([high, low]);
    expect(seriesIdWords(l('__name__', 'm', 'v', 'u'.repeat(5000)))).not.toEqual([high, low]);
  });
});

import { describe, expect, it } from 'vitest';
import { baseWindow } from './profile-selection.ts';

const NOW = 10_000_000;

describe('baseWindow', () => {
  it.each([
    { compare: 'none', baseFrom: '', baseTo: '', want: undefined },
    { compare: 'previous', baseFrom: '', baseTo: '', want: { fromMs: 7_000_000, toMs: 8_000_000 } },
    { compare: 'window', baseFrom: '1000', baseTo: '2000', want: { fromMs: 1000, toMs: 2000 } },
    {
      compare: 'window',
      baseFrom: 'now-2h',
      baseTo: 'now-1h',
      want: { fromMs: NOW - 7_200_000, toMs: NOW - 3_600_000 },
    },
    { compare: 'window', baseFrom: '2000', baseTo: '1000', want: undefined }, // inverted
    { compare: 'window', baseFrom: '1000', baseTo: '', want: undefined }, // incomplete
  ] as const)('$compare $baseFrom..$baseTo → $want', ({ compare, baseFrom, baseTo, want }) => {
    expect(baseWindow({ compare, baseFrom, baseTo }, 8_000_000, 9_000_000, NOW)).toEqual(want);
  });
});

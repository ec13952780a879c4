import { describe, expect, it } from 'vitest';
import { cumulativeDelta } from './cumulative-delta.ts';

type Stacks = Record<string, number[]>;
const map = (s: Stacks): Map<string, readonly number[]> => new Map(Object.entries(s));

describe('cumulativeDelta', () => {
  const cases: Array<{ name: string; previous?: Stacks; current: Stacks; kind: string; values?: Stacks }> = [
    { name: 'the first scrape only sets the baseline', current: { a: [3, 300] }, kind: 'first' },
    {
      name: 'a second scrape gives the difference per stack',
      previous: { a: [3, 300], b: [1, 10] },
      current: { a: [5, 500], b: [2, 15] },
      kind: 'delta',
      values: { a: [2, 200], b: [1, 5] },
    },
    {
      name: 'a stack that did not change is dropped',
      previous: { a: [3, 300], b: [1, 10] },
      current: { a: [5, 500], b: [1, 10] },
      kind: 'delta',
      values: { a: [2, 200] },
    },
    {
      name: 'a stack seen for the first time counts from zero',
      previous: { a: [3, 300] },
      current: { a: [3, 300], c: [2, 20] },
      kind: 'delta',
      values: { c: [2, 20] },
    },
    {
      name: 'a stack that grew in one column only keeps the other at zero',
      previous: { a: [3, 300] },
      current: { a: [3, 350] },
      kind: 'delta',
      values: { a: [0, 50] },
    },
    {
      name: 'a stack gone from the profile is not a restart',
      previous: { a: [3, 300], b: [9, 90] },
      current: { a: [4, 400] },
      kind: 'delta',
      values: { a: [1, 100] },
    },
    {
      name: 'nothing changed: an empty delta',
      previous: { a: [3, 300] },
      current: { a: [3, 300] },
      kind: 'delta',
      values: {},
    },
    {
      name: 'a value that went down is a restart: the current values are the increase',
      previous: { a: [30, 3000], b: [5, 50] },
      current: { a: [2, 200], b: [6, 60], z: [0, 0] },
      kind: 'reset',
      values: { a: [2, 200], b: [6, 60] },
    },
    {
      name: 'after an empty baseline (profiling just enabled) everything counts',
      previous: {},
      current: { a: [1, 10] },
      kind: 'delta',
      values: { a: [1, 10] },
    },
  ];
  it.each(cases)('$name', ({ previous, current, kind, values }) => {
    const result = cumulativeDelta(previous === undefined ? undefined : map(previous), map(current));
    expect(result.kind).toBe(kind);
    if (result.kind !== 'first') expect(Object.fromEntries(result.values)).toEqual(values);
  });
});

import { constantSeries, emptySeries, gridFor } from '@vigil/model';
import { describe, expect, it } from 'vitest';
import { findOnset } from './onset.ts';
import { MIN, ramp, spikes, step, synthetic, type SyntheticSpec } from './testing/synthetic.ts';
import type { SignalDirection } from './types.ts';

const grid = gridFor(0, 60 * MIN, 30_000);
const search = { baselineFromMs: 0, baselineToMs: 30 * MIN, searchFromMs: 25 * MIN, searchToMs: 60 * MIN };

describe('findOnset', () => {
  it.each<[string, SyntheticSpec, SignalDirection, [number, number] | null]>([
    ['a step up', { level: 10, noise: 1, effects: [step(40 * MIN, 10)] }, 'up', [40 * MIN, 40 * MIN]],
    ['a step down', { level: 10, noise: 1, effects: [step(50 * MIN, -8)] }, 'down', [50 * MIN, 50 * MIN]],
    [
      'a ramp, shortly after it starts',
      { level: 10, noise: 1, effects: [ramp(40 * MIN, 55 * MIN, 20)] },
      'up',
      [40 * MIN, 44 * MIN],
    ],
    [
      'a periodic spike (an OOM loop)',
      { level: 0, effects: [spikes(45 * MIN, 60 * MIN, 2 * MIN, 1)] },
      'up',
      [45 * MIN, 45 * MIN],
    ],
    [
      'a step with missed scrapes',
      { level: 10, noise: 1, gapEvery: 3, effects: [step(40 * MIN, 10)] },
      'up',
      [40 * MIN, 40.5 * MIN],
    ],
    ['a lone spike: none', { level: 10, noise: 1, effects: [step(35 * MIN, 20, 35.5 * MIN)] }, 'up', null],
    [
      'a step up, looked for downwards: none',
      { level: 10, noise: 1, effects: [step(40 * MIN, 10)] },
      'down',
      null,
    ],
    ['noise alone: none', { level: 10, noise: 1, seed: 7 }, 'up', null],
  ])('finds the departure of %s', (_name, spec, direction, expected) => {
    const onset = findOnset(synthetic(grid, { ...spec, floor: -Infinity }), { ...search, direction });
    if (expected === null) expect(onset).toBeNull();
    else {
      expect(onset).toBeGreaterThanOrEqual(expected[0]);
      expect(onset).toBeLessThanOrEqual(expected[1]);
    }
  });

  it('finds none in a constant series or one without data', () => {
    expect(findOnset(constantSeries(grid, 3), search)).toBeNull();
    expect(findOnset(emptySeries(grid), search)).toBeNull();
  });

  it('reports a departure already under way when the search starts at the search start', () => {
    const s = synthetic(grid, { level: 10, noise: 1, effects: [step(20 * MIN, 10)] });
    expect(findOnset(s, { ...search, baselineToMs: 20 * MIN })).toBe(25 * MIN);
  });
});

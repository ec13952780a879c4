import { describe, expect, it } from 'vitest';
import { groupingAccuracy } from './grouping-accuracy.ts';

describe('groupingAccuracy', () => {
  it.each<[string[], string[], number]>([
    [['x', 'x', 'y', 'y', 'y'], ['A', 'A', 'B', 'B', 'C'], 2 / 5], // y merges B and C: those 3 are wrong
    [['x', 'y', 'z', 'z'], ['A', 'A', 'B', 'B'], 2 / 4], // A split in two: both of its lines are wrong
    [['p', 'p', 'q'], ['A', 'A', 'B'], 1], // cluster names do not matter, only the grouping
    [['p', 'q', 'r'], ['A', 'B', 'C'], 1],
    [['p', 'p', 'p'], ['A', 'B', 'C'], 0],
    [[], [], 0],
  ])('%j against %j → %d', (predicted, truth, accuracy) => {
    expect(groupingAccuracy(predicted, truth)).toBeCloseTo(accuracy, 10);
  });

  it('refuses predictions and truth of different lengths', () => {
    expect(() => groupingAccuracy(['a'], ['A', 'B'])).toThrow(/1 predictions for 2 lines/);
  });
});

import { describe, expect, test } from 'vitest';
import { chartOptions, yAxisWidth, yRange } from './chart-options.ts';

describe('yRange', () => {
  test.each<[string, number | null, number | null, number | undefined, [number, number]]>([
    ['from zero to the max with headroom', 10, 40, undefined, [0, 42]],
    ['raised to include the threshold', 10, 40, 80, [0, 84]],
    ['down to negative data', -20, 10, undefined, [-20, 10.5]],
    ['a flat zero line still has a range', 0, 0, undefined, [0, 1]],
    ['no data at all', null, null, undefined, [0, 1]],
  ])('%s', (_name, min, max, threshold, expected) => {
    expect(yRange(min, max, threshold)).toEqual(expected);
  });
});

describe('chartOptions', () => {
  test('turns off uPlot’s legend, keeps hidden lines hidden and draws a threshold only when given', () => {
    const base = {
      lineNames: ['a', 'b'],
      unit: '%',
      heightPx: 100,
      scheme: 'dark' as const,
      hidden: new Set([1]),
    };
    const opts = chartOptions(base);
    expect(opts.legend?.show).toBe(false);
    expect(opts.series.map((s) => s.show)).toEqual([undefined, true, false]);
    expect(opts.hooks?.draw).toHaveLength(0);
    expect(chartOptions({ ...base, threshold: 90 }).hooks?.draw).toHaveLength(1);
  });
});

describe('yAxisWidth', () => {
  test.each<[string, string[] | null, number]>([
    ['short labels get the minimum', ['0%', '50%'], 40],
    ['the longest label sets the width', ['0 messages/step', '1110 messages/step'], 144],
    ['very long labels are capped', ['x'.repeat(60)], 160],
    ['no ticks yet', null, 40],
  ])('%s', (_name, values, width) => {
    expect(yAxisWidth(undefined, values)).toBe(width);
  });
});

import { describe, expect, test } from 'vitest';
import { chartSummary, SUMMARY_MAX_LINES } from './chart-summary.ts';
import type { ChartJson } from './chart-types.ts';

const line = (name: string, values: Array<number | null>) => ({
  name,
  data: { fromMs: 0, stepMs: 1000, values },
});

describe('chartSummary', () => {
  test.each<[string, ChartJson, string]>([
    [
      'latest value per line',
      { title: 'CPU', unit: '%', lines: [line('a', [1, 42]), line('b', [3, null])] },
      'CPU. Latest: a 42%, b 3%.',
    ],
    [
      'threshold when set',
      { title: 'RTT', unit: 's', lines: [line('db', [0.002])], threshold: 0.01 },
      'RTT. Latest: db 2 ms. Threshold 10 ms.',
    ],
    ['no data', { title: 'Disk', unit: 's/s', lines: [line('sda', [null])] }, 'Disk. No data in this range.'],
    ['no lines', { title: 'Disk', unit: 's/s', lines: [] }, 'Disk. No data in this range.'],
  ])('%s', (_name, chart, expected) => {
    expect(chartSummary(chart)).toBe(expected);
  });

  test('names the first lines and counts the rest', () => {
    const lines = Array.from({ length: SUMMARY_MAX_LINES + 3 }, (_, i) => line(`c${i}`, [i]));
    expect(chartSummary({ title: 'T', unit: 'count', lines })).toMatch(/c7 7, and 3 more\.$/);
  });
});

// @vitest-environment jsdom
import { MantineProvider } from '@mantine/core';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { installChartTestEnv } from './chart-test-env.ts';
import type { ChartJson } from './chart-types.ts';
import { TimeSeriesChart } from './TimeSeriesChart.tsx';

// The shape of a Memory report's chart (packages/audit/src/inspections/memory.ts).
const memoryChart: ChartJson = {
  title: 'Memory RSS',
  unit: 'bytes',
  lines: [
    {
      name: 'api-7d9f-x2',
      data: { fromMs: 1_700_000_000_000, stepMs: 15_000, values: [1.2e9, 1.4e9, 1024 ** 3 * 1.5] },
    },
    { name: 'api-7d9f-k8', data: { fromMs: 1_700_000_000_000, stepMs: 15_000, values: [8e8, 9e8, null] } },
  ],
  threshold: 2 * 1024 ** 3,
};

const renderChart = (chart: ChartJson) =>
  render(
    <MantineProvider>
      <TimeSeriesChart chart={chart} />
    </MantineProvider>,
  );

describe('TimeSeriesChart', () => {
  beforeEach(installChartTestEnv);
  afterEach(cleanup);

  test('names its figure with the title, each line’s latest value and the threshold', () => {
    renderChart(memoryChart);
    expect(
      screen.getByRole('figure', {
        name: 'Memory RSS. Latest: api-7d9f-x2 1.5 GiB, api-7d9f-k8 858 MiB. Threshold 2 GiB.',
      }),
    ).toBeTruthy();
  });

  test('has one legend toggle per line that hides and shows it', () => {
    renderChart(memoryChart);
    const toggle = screen.getByRole('button', { name: /api-7d9f-k8/ });
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    expect(screen.getAllByRole('button')).toHaveLength(2);
  });

  test('says there is no data instead of drawing an empty plot', () => {
    renderChart({
      title: 'CPU usage',
      unit: '%',
      lines: [{ name: 'n1', data: { fromMs: 0, stepMs: 1, values: [null] } }],
    });
    expect(screen.getByRole('figure', { name: 'CPU usage. No data in this range.' })).toBeTruthy();
    expect(screen.getByText('No data in this range.')).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { gridFor, type L7Protocol, type L7Stats } from '@vigil/model';
import {
  availabilitySli,
  availabilitySliFromQueries,
  bucketBoundaryFor,
  inboundStats,
  latencySli,
} from './sli.ts';
import { MINUTE_MS, T0_MS, appWithInbound, histogramOf, httpStats, seriesOf } from './testing.ts';

const grid = gridFor(T0_MS, T0_MS + 4 * MINUTE_MS, MINUTE_MS);
const values = (s: { values: Float64Array }): number[] =>
  Array.from(s.values, (v) => Math.round(v * 1e9) / 1e9);

describe('bucketBoundaryFor', () => {
  const les = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  it.each([
    ['a boundary is used as is', 500, 0.5],
    ['100 ms is the 0.1 s boundary', 100, 0.1],
    ['between boundaries: the largest one below (conservative)', 300, 0.25],
    ['below every boundary: the smallest one', 1, 0.005],
    ['beyond every finite boundary: the largest', 20_000, 10],
  ])('%s', (_name, thresholdMs, le) => {
    expect(bucketBoundaryFor(les, thresholdMs)).toBe(le);
  });
});

describe('availabilitySli', () => {
  it('sums requests over instances and protocols; failed = HTTP 5xx and DB failed', () => {
    const postgres: L7Stats = {
      requestsByStatus: new Map([
        ['ok', seriesOf(grid, () => 4)],
        ['failed', seriesOf(grid, () => 1)],
      ]),
      histogram: [],
    };
    const app = appWithInbound(grid, [
      new Map<L7Protocol, L7Stats>([
        [
          'http',
          httpStats(
            grid,
            () => 10,
            () => 0.1,
          ),
        ],
      ]),
      new Map<L7Protocol, L7Stats>([
        ['http', httpStats(grid, () => 10)],
        ['postgres', postgres],
      ]),
    ]);
    const sli = availabilitySli(grid, inboundStats(app))!;
    expect(values(sli.total)).toEqual([25, 25, 25, 25, 25]);
    expect(values(sli.bad)).toEqual([2, 2, 2, 2, 2]);
  });

  it('counts a missing 5xx series as no failures, and leaves gaps where there is no data', () => {
    const stats: L7Stats = {
      requestsByStatus: new Map([['2xx', seriesOf(grid, (i) => (i === 2 ? NaN : 3))]]),
      histogram: [],
    };
    const sli = availabilitySli(grid, [stats])!;
    expect(values(sli.total)).toEqual([3, 3, NaN, 3, 3]);
    expect(values(sli.bad)).toEqual([0, 0, NaN, 0, 0]);
  });

  it('does not count 4xx (the client’s fault) against the budget', () => {
    const stats: L7Stats = {
      requestsByStatus: new Map([
        ['2xx', seriesOf(grid, () => 5)],
        ['4xx', seriesOf(grid, () => 3)],
        ['5xx', seriesOf(grid, () => 2)],
      ]),
      histogram: [],
    };
    const sli = availabilitySli(grid, [stats])!;
    expect(values(sli.total)[0]).toBe(10);
    expect(values(sli.bad)[0]).toBe(2);
  });

  it('is null without any inbound stats', () => {
    expect(availabilitySli(grid, [])).toBeNull();
  });

  it('reads a custom success/total pair, never below zero, a missing success point as all failed', () => {
    const total = seriesOf(grid, (i) => [10, 10, 10, NaN, 10][i]!);
    const success = seriesOf(grid, (i) => [10, 10.01, 7, 5, NaN][i]!);
    const sli = availabilitySliFromQueries(success, total);
    expect(values(sli.bad)).toEqual([0, 0, 3, NaN, 10]);
  });
});

describe('latencySli', () => {
  const shares = { 0.1: 0.9, 0.25: 0.95, 0.5: 0.99, 1: 1 };

  it.each([
    ['a boundary threshold', 500, 0.1, [0.5]],
    ['a threshold between boundaries reads the one below', 300, 0.5, [0.25]],
    ['a threshold under the smallest boundary reads the smallest', 50, 1, [0.1]],
  ])('%s', (_name, thresholdMs, slowRps, boundaries) => {
    const sli = latencySli(grid, [histogramOf(grid, () => 10, shares)], thresholdMs)!;
    expect(values(sli.total)).toEqual([10, 10, 10, 10, 10]);
    expect(values(sli.bad)).toEqual(Array(5).fill(slowRps));
    expect(sli.boundariesSeconds).toEqual(boundaries);
  });

  it('sums histograms of several instances', () => {
    const sli = latencySli(
      grid,
      [histogramOf(grid, () => 10, shares), histogramOf(grid, () => 20, { 0.5: 0.5 })],
      500,
    )!;
    expect(values(sli.total)[0]).toBe(30);
    expect(values(sli.bad)[0]).toBe(0.1 + 10);
  });

  it('turns a torn scrape (a bucket missing beside +Inf) into a gap, not all-slow', () => {
    const buckets = histogramOf(grid, () => 10, shares);
    buckets[2]!.rate.values[1] = NaN; // le=0.5 lost at point 1
    const sli = latencySli(grid, [buckets], 500)!;
    expect(values(sli.total)).toEqual([10, NaN, 10, 10, 10]);
    expect(values(sli.bad)).toEqual([0.1, NaN, 0.1, 0.1, 0.1]);
  });

  it('is null when no histogram is sent', () => {
    expect(latencySli(grid, [[]], 500)).toBeNull();
  });
});

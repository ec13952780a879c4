/**
 * selectRateGrid (ClickHouse's timeSeriesRateToGrid) against a JS port of Prometheus's
 * extrapolatedRate (promql/functions.go) over the samples `select` returns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricSeries } from '@vigil/protocols';
import { openTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { MetricStore } from './metric-store.ts';
import type { StoredSeries } from './select-series.ts';

const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 6 * 3_600_000;

/** Prometheus's rate() at `t` over (t - windowMs, t], from the samples of one series. */
function prometheusRate(s: StoredSeries, t: number, windowMs: number): number {
  const stale = new Set(s.staleIndexes ?? []);
  const ts: number[] = [];
  const vs: number[] = [];
  s.timestampsMs.forEach((ms, i) => {
    if (ms > t - windowMs && ms <= t && !stale.has(i)) {
      ts.push(ms);
      vs.push(s.values[i]!);
    }
  });
  if (ts.length < 2) return NaN;
  const rangeStart = t - windowMs;
  const first = vs[0]!;
  let result = vs[vs.length - 1]! - first;
  for (let i = 1; i < vs.length; i++) if (vs[i]! < vs[i - 1]!) result += vs[i - 1]!; // counter resets
  const sampled = (ts[ts.length - 1]! - ts[0]!) / 1000;
  const average = sampled / (ts.length - 1);
  let toStart = (ts[0]! - rangeStart) / 1000;
  let toEnd = (t - ts[ts.length - 1]!) / 1000;
  const threshold = average * 1.1;
  if (toStart >= threshold) toStart = average / 2;
  if (result > 0 && first >= 0) toStart = Math.min(toStart, sampled * (first / result));
  if (toEnd >= threshold) toEnd = average / 2;
  return (result * ((sampled + toStart + toEnd) / sampled)) / (windowMs / 1000);
}

function counter(id: string, seed: number, jitterMs = 40): MetricSeries {
  const timestampsMs: number[] = [];
  const values: number[] = [];
  const staleIndexes: number[] = [];
  let value = 1000 * seed;
  let x = seed;
  const next = (): number => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 1200; i++) {
    if (i > 300 && i < 330) continue; // a gap: the target was down
    if (i === 700) staleIndexes.push(timestampsMs.length); // a marker, then it continues
    timestampsMs.push(T0 + i * 15_000 + Math.floor(next() * jitterMs));
    value = i % 400 === 399 ? next() * 10 : value + Math.floor(next() * 300); // resets
    values.push(i === 700 ? NaN : value);
  }
  return {
    labels: [
      { name: '__name__', value: 'requests_total' },
      { name: 'id', value: id },
    ],
    timestampsMs,
    values,
    staleIndexes,
  };
}

let t: TestDatabase;
let store: MetricStore;

beforeAll(async () => {
  t = await openTestDatabase();
  store = new MetricStore(t.db);
  // 'exact' has samples on the grid's window edges: the left edge is excluded, as in Prometheus 3.
  await store.insert([counter('a', 1), counter('b', 2), counter('c', 3), counter('exact', 4, 0)]);
});
afterAll(async () => {
  await t?.cleanup();
});

describe('selectRateGrid', () => {
  const grids = [
    { name: '1 m step, 5 m window', stepMs: 60_000, windowMs: 300_000 },
    { name: '15 s step, 1 m window (few samples per window)', stepMs: 15_000, windowMs: 60_000 },
    { name: '7 s step, 2 m window, unaligned start', stepMs: 7_000, windowMs: 120_000, offsetMs: 3_333 },
  ];
  for (const grid of grids) {
    it(`equals Prometheus's rate computed in JS: ${grid.name}`, async () => {
      const startMs = T0 + (grid.offsetMs ?? 0);
      const endMs = T0 + 5 * 3_600_000;
      const matchers = [{ name: '__name__', op: '=' as const, value: 'requests_total' }];
      const rates = await store.selectRateGrid({ matchers, startMs, endMs, ...grid });
      const raw = await store.select(matchers, startMs - grid.windowMs, endMs);
      expect(rates.map((r) => r.labels)).toEqual(raw.map((r) => r.labels));
      let compared = 0;
      rates.forEach((rate, i) => {
        rate.values.forEach((value, j) => {
          const expected = prometheusRate(raw[i]!, startMs + j * grid.stepMs, grid.windowMs);
          if (Number.isNaN(expected)) expect(value).toBeNaN();
          else expect(value).toBeCloseTo(expected, 9);
          compared++;
        });
      });
      expect(compared).toBe(4 * (Math.floor((endMs - startMs) / grid.stepMs) + 1));
    });
  }

  it('refuses a grid that is too fine', async () => {
    await expect(
      store.selectRateGrid({ matchers: [], startMs: T0, endMs: T0 + 3_600_000, stepMs: 1, windowMs: 60_000 }),
    ).rejects.toMatchObject({ code: 'bad_request' });
  });
});

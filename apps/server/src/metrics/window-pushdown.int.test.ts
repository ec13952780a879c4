/**
 * Range-window summaries computed in SQL (MetricStore.selectWindows, real chDB) against the
 * PromQL package's reference summarizer over the same store's samples, and the engine's answers
 * with the push-down against the same engine reading samples only. The data has what breaks
 * window arithmetic: samples exactly on window edges, counter resets, NaN values, staleness
 * markers, gaps, a rewritten (duplicate) sample and batches written out of order.
 */
import { Engine, summarizeWindows, type QueryResult, type WindowRequest } from '@vigil/promql';
import type { MetricSeries } from '@vigil/protocols';
import { MetricStore, openDatabase, runMigrations, type Database } from '@vigil/storage';
import { makeTempDir, uniqueDatabaseName } from '@vigil/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedMetricsQueryService } from './embedded-query-service.ts';

const HOUR = 3_600_000;
const T0 = Math.floor(Date.now() / HOUR) * HOUR - 5 * HOUR;
const SCRAPE_MS = 15_000;

function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** 3 h of one series at 15 s; `jitter` = 0 puts samples on minute boundaries. */
function series(
  name: string,
  id: string,
  seed: number,
  kind: 'counter' | 'gauge',
  jitterMs: number,
): MetricSeries {
  const next = lcg(seed);
  const timestampsMs: number[] = [];
  const values: number[] = [];
  const staleIndexes: number[] = [];
  let value = 100 * seed;
  for (let i = 0; i < 720; i++) {
    if (i > 200 && i < 230) continue; // the target was down
    if (i === 400) staleIndexes.push(timestampsMs.length);
    timestampsMs.push(T0 + i * SCRAPE_MS + Math.floor(next() * jitterMs));
    if (kind === 'counter') value = i % 97 === 96 ? Math.floor(next() * 5) : value + Math.floor(next() * 50);
    else value = Math.round((next() - 0.5) * 1000) / 10;
    values.push(i === 400 || (kind === 'gauge' && i % 61 === 0) ? NaN : value);
  }
  return {
    labels: [
      { name: '__name__', value: name },
      { name: 'id', value: id },
      { name: 'job', value: seed % 2 === 0 ? 'a' : 'b' },
    ],
    timestampsMs,
    values,
    staleIndexes,
  };
}

/** The samples of `s` with index in [from, to). */
function slice(s: MetricSeries, from: number, to: number): MetricSeries {
  return {
    labels: s.labels,
    timestampsMs: s.timestampsMs.slice(from, to),
    values: s.values.slice(from, to),
    staleIndexes: (s.staleIndexes ?? []).filter((i) => i >= from && i < to).map((i) => i - from),
  };
}

const temp = makeTempDir('vigil-windows-');
let db: Database;
let store: MetricStore;
let pushed: EmbeddedMetricsQueryService;
let samplesOnly: Engine;

beforeAll(async () => {
  db = await openDatabase({ dataDir: temp.dir, database: uniqueDatabaseName('vigil_windows') });
  await runMigrations(db);
  store = new MetricStore(db);
  const all: MetricSeries[] = [];
  for (let i = 0; i < 6; i++) all.push(series('requests_total', `c${i}`, i + 1, 'counter', i < 3 ? 0 : 900));
  for (let i = 0; i < 4; i++) all.push(series('queue_depth', `g${i}`, i + 11, 'gauge', i < 2 ? 0 : 700));
  // Newer half first, older half second: inserts out of time order.
  for (const part of [all.map((s) => slice(s, 350, s.values.length)), all.map((s) => slice(s, 0, 350))]) {
    const outcome = await store.insert(part);
    expect(outcome.kind).toBe('ok');
  }
  // One sample written again with another value: reads must see the last write.
  const first = all[0]!;
  const again: MetricSeries = {
    labels: first.labels,
    timestampsMs: [first.timestampsMs[100]!],
    values: [123_456],
  };
  expect((await store.insert([again])).kind).toBe('ok');
  pushed = new EmbeddedMetricsQueryService(store, {}, { windowPushdown: true });
  samplesOnly = new Engine({
    select: (matchers, startMs, endMs, signal) =>
      store.select(matchers, startMs, endMs, signal ? { signal } : {}),
  });
}, 120_000);

afterAll(async () => {
  await db?.close();
  temp.cleanup();
});

const bitsEqual = (a: ArrayLike<number>, b: ArrayLike<number>): boolean =>
  a.length === b.length && Array.from(a).every((x, i) => Object.is(x, b[i]));

describe('MetricStore.selectWindows', () => {
  const requests: Array<[string, Omit<WindowRequest, 'matchers'>]> = [
    [
      '1 h at 60 s, range 5 m (windows overlap; edges on samples)',
      { firstEndMs: T0 + 2 * HOUR, stepMs: 60_000, steps: 61, rangeMs: 300_000 },
    ],
    [
      '3 h at 300 s, range 5 m (each sample in one or two windows)',
      { firstEndMs: T0 + 300_000, stepMs: 300_000, steps: 36, rangeMs: 300_000 },
    ],
    [
      'step longer than the range (samples between windows)',
      { firstEndMs: T0 + 600_000, stepMs: 420_000, steps: 20, rangeMs: 60_000 },
    ],
    [
      'one window (an instant query)',
      { firstEndMs: T0 + HOUR + 7_000, stepMs: 1, steps: 1, rangeMs: 600_000 },
    ],
    [
      'windows before and after the data',
      { firstEndMs: T0 - HOUR, stepMs: 900_000, steps: 24, rangeMs: 1_800_000 },
    ],
  ];

  it.each(requests)('matches the reference summaries: %s', async (_name, grid) => {
    for (const metric of ['requests_total', 'queue_depth']) {
      const request: WindowRequest = { ...grid, matchers: [{ name: '__name__', op: '=', value: metric }] };
      const raw = await store.select(
        request.matchers,
        grid.firstEndMs - grid.rangeMs,
        grid.firstEndMs + (grid.steps - 1) * grid.stepMs,
      );
      const expected = raw.map((s) => summarizeWindows(s, request)).filter((s) => s !== undefined);
      const actual = await store.selectWindows(request);
      expect(actual.map((w) => w.labels)).toEqual(expected.map((w) => w!.labels));
      expect(expected.length).toBeGreaterThan(0);
      for (let i = 0; i < actual.length; i++) {
        const a = actual[i]!;
        const e = expected[i]!;
        for (const field of [
          'step',
          'count',
          'firstT',
          'firstV',
          'lastT',
          'lastV',
          'prevT',
          'prevV',
          'min',
          'max',
        ] as const) {
          expect(
            bitsEqual(a[field], e[field]),
            `${metric} ${field}: ${Array.from(a[field]).slice(0, 8)} vs ${Array.from(e[field]).slice(0, 8)}`,
          ).toBe(true);
        }
        expect(a.resets.map((r) => (r === undefined ? [] : Array.from(r)))).toEqual(
          e.resets.map((r) => (r === undefined ? [] : Array.from(r))),
        );
      }
    }
  });

  it('sees the rewritten sample and counts drops', async () => {
    const request: WindowRequest = {
      matchers: [{ name: 'id', op: '=', value: 'c0' }],
      firstEndMs: T0 + 3 * HOUR,
      stepMs: 60_000,
      steps: 1,
      rangeMs: 3 * HOUR,
    };
    const [w] = await store.selectWindows(request);
    expect(w!.max[0]).toBeGreaterThanOrEqual(123_456);
    // Resets at i = 96, 193, 290, 387, 484, 581, 678, and the drop after the rewritten sample.
    expect(w!.resets[0]!.length).toBe(8);
  });
});

describe('PromQL with window push-down', () => {
  const queries = [
    'rate(requests_total[5m])',
    'increase(requests_total[2m])',
    'delta(queue_depth[10m])',
    'irate(requests_total[1m])',
    'idelta(queue_depth[5m])',
    'resets(requests_total[30m])',
    'count_over_time(queue_depth[5m])',
    'min_over_time(queue_depth[7m])',
    'max_over_time(queue_depth[5m] offset 10m)',
    'last_over_time(requests_total[90s])',
    'present_over_time(queue_depth[1m])',
    'sum by (job) (rate(requests_total[5m]))',
    'rate(requests_total[5m]) / on(id) group_left rate(requests_total[10m])',
    'max_over_time(rate(requests_total[2m])[10m:1m])',
  ];

  const compare = (a: QueryResult, b: QueryResult): void => {
    expect(a.resultType).toBe(b.resultType);
    const norm = (r: QueryResult) =>
      JSON.parse(
        JSON.stringify(r, (_k, v) =>
          typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v instanceof Float64Array ? Array.from(v) : v,
        ),
      );
    expect(norm(a)).toEqual(norm(b));
  };

  it.each(queries)('%s: range and instant answers equal the sample path', async (query) => {
    for (const [start, end, step] of [
      [T0 + HOUR, T0 + 2 * HOUR, 60_000],
      [T0, T0 + 3 * HOUR, 300_000],
      [T0 + 1_234, T0 + 3 * HOUR, 97_000],
    ] as const) {
      const expected = await samplesOnly.rangeQuery(query, start, end, step);
      expect((expected.result as unknown[]).length).toBeGreaterThan(0);
      compare(await pushed.rangeQuery(query, start, end, step), expected);
    }
    for (const t of [T0 + 2 * HOUR, T0 + 200 * SCRAPE_MS + 5_000]) {
      compare(await pushed.instantQuery(query, t), await samplesOnly.instantQuery(query, t));
    }
  });
});

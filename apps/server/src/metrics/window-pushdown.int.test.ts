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
  // No rollups: this store's windows are the SQL summaries (select-windows.ts) on every grid.
  store = new MetricStore(db, { rollups: false });
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
  pushed = new EmbeddedMetricsQueryService(store, {}, { windows: 'sql' });
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

describe('5-minute rollups', () => {
  // A store of its own, with a clock the test moves: what is built depends on it.
  let clockMs = T0 + 2 * HOUR + 40 * 60_000 + 120_000;
  let rolledDb: Database;
  let rolled: MetricStore;
  const metrics = ['requests_total', 'queue_depth'];
  const aligned: Array<[string, Omit<WindowRequest, 'matchers'>]> = [
    ['3 h at 5 m, range 5 m', { firstEndMs: T0, stepMs: 300_000, steps: 37, rangeMs: 300_000 }],
    ['3 h at 5 m, range 15 m', { firstEndMs: T0 + 600_000, stepMs: 300_000, steps: 35, rangeMs: 900_000 }],
    ['3 h at 10 m, range 1 h', { firstEndMs: T0 + HOUR, stepMs: 600_000, steps: 13, rangeMs: HOUR }],
  ];

  /**
   * The rollups' windows equal the reference summaries of the samples. Drops are compared value
   * by value where buckets list them (counters); a gauge's buckets keep a count and a sum, so
   * there the count must match and the sum up to rounding.
   */
  const expectReference = async (request: WindowRequest): Promise<void> => {
    const raw = await rolled.select(
      request.matchers,
      request.firstEndMs - request.rangeMs,
      request.firstEndMs + (request.steps - 1) * request.stepMs,
    );
    const expected = raw.map((s) => summarizeWindows(s, request)).filter((s) => s !== undefined);
    const actual = await rolled.selectWindows(request);
    expect(expected.length).toBeGreaterThan(0);
    const plain = (w: (typeof actual)[number] | NonNullable<(typeof expected)[number]>) =>
      JSON.stringify({ ...w, resets: undefined }, (_k, v: unknown) =>
        typeof v === 'number' && Number.isNaN(v)
          ? 'NaN'
          : v instanceof Float64Array
            ? Array.from(v, (x) => (Number.isNaN(x) ? 'NaN' : x))
            : v,
      );
    expect(actual.map(plain)).toEqual(expected.map((w) => plain(w!)));
    const sum = (r: ArrayLike<number> | undefined) => Array.from(r ?? []).reduce((a, b) => a + b, 0);
    let listed = 0;
    actual.forEach((a, i) => {
      const e = expected[i]!;
      a.resets.forEach((r, j) => {
        const want = Array.from(e.resets[j] ?? []);
        const got = Array.from(r ?? []);
        expect(got.length).toBe(want.length);
        if (got.every((v, k) => v === want[k])) listed++;
        else
          expect(Math.abs(sum(got) - sum(want))).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(sum(want))));
      });
    });
    if (request.matchers.some((m) => m.value === 'requests_total' || m.name === 'id')) {
      expect(listed).toBe(actual.reduce((n, a) => n + a.resets.length, 0));
    }
  };

  beforeAll(async () => {
    rolledDb = await openDatabase({ dataDir: temp.dir, database: uniqueDatabaseName('vigil_rollups') });
    await runMigrations(rolledDb);
    rolled = new MetricStore(rolledDb, { clock: () => clockMs });
    const all: MetricSeries[] = [];
    for (let i = 0; i < 6; i++)
      all.push(series('requests_total', `c${i}`, i + 1, 'counter', i < 3 ? 0 : 900));
    for (let i = 0; i < 4; i++) all.push(series('queue_depth', `g${i}`, i + 11, 'gauge', i < 2 ? 0 : 700));
    for (const part of [all.map((s) => slice(s, 350, s.values.length)), all.map((s) => slice(s, 0, 350))]) {
      expect((await rolled.insert(part)).kind).toBe('ok');
    }
    const first = all[0]!;
    expect(
      (
        await rolled.insert([
          { labels: first.labels, timestampsMs: [first.timestampsMs[100]!], values: [123_456] },
        ])
      ).kind,
    ).toBe('ok');
  }, 120_000);

  afterAll(async () => {
    await rolledDb?.close();
  });

  it('builds up to the clock minus the grace, and reads newer buckets from samples', async () => {
    expect(rolled.rollupState.coveredUntil).toBeUndefined();
    const result = await rolled.rollups!.catchUp();
    expect(result.done).toBe(true);
    expect(rolled.rollupState.coveredUntil).toBe(T0 + 2 * HOUR + 40 * 60_000);
    // The last 20 minutes of the 3 h grid are not built: computed from samples at read time.
    for (const [, grid] of aligned) {
      for (const metric of metrics) {
        const request = { ...grid, matchers: [{ name: '__name__', op: '=' as const, value: metric }] };
        expect(rolled.rollupsServe(request)).toBe(true);
        await expectReference(request);
      }
    }
    // Unaligned grids, and grids mostly after what is built, are left to the sample path.
    expect(
      rolled.rollupsServe({ firstEndMs: T0 + 60_000, stepMs: 300_000, steps: 10, rangeMs: 300_000 }),
    ).toBe(false);
    expect(rolled.rollupsServe({ firstEndMs: T0, stepMs: 300_000, steps: 10, rangeMs: 120_000 })).toBe(false);
    expect(
      rolled.rollupsServe({ firstEndMs: T0 + 2 * HOUR, stepMs: 300_000, steps: 24, rangeMs: 300_000 }),
    ).toBe(false);
  });

  it('answers from whole rollups exactly as from samples, through the engine', async () => {
    clockMs = T0 + 6 * HOUR;
    await rolled.rollups!.catchUp();
    expect(rolled.rollupState).toEqual({ coveredUntil: T0 + 6 * HOUR - 300_000, dirtyRanges: 0 });
    for (const [, grid] of aligned) {
      for (const metric of metrics) {
        await expectReference({ ...grid, matchers: [{ name: '__name__', op: '=', value: metric }] });
      }
    }
    // New buckets wait until an hour of them can be built at once.
    clockMs += 50 * 60_000;
    expect((await rolled.rollups!.catchUp()).built).toBe(0);
    expect(rolled.rollupState.coveredUntil).toBe(T0 + 6 * HOUR - 300_000);
    const viaRollups = new EmbeddedMetricsQueryService(rolled);
    const samples = new Engine({
      select: (matchers, startMs, endMs, signal) =>
        rolled.select(matchers, startMs, endMs, signal ? { signal } : {}),
    });
    let windowCalls = 0;
    const original = rolled.selectWindows.bind(rolled);
    rolled.selectWindows = (q, o) => {
      windowCalls++;
      return original(q, o);
    };
    try {
      for (const query of [
        'rate(requests_total[5m])',
        'sum by (job) (increase(requests_total[15m]))',
        'max_over_time(queue_depth[5m])',
        'min_over_time(queue_depth[10m] offset 5m)',
        'irate(requests_total[5m])',
        'resets(requests_total[1h])',
        'count_over_time(queue_depth[5m])',
      ]) {
        const before = windowCalls;
        const expected = await samples.rangeQuery(query, T0 + 600_000, T0 + 3 * HOUR, 300_000);
        const actual = await viaRollups.rangeQuery(query, T0 + 600_000, T0 + 3 * HOUR, 300_000);
        expect(windowCalls, query).toBe(before + 1);
        expect(JSON.stringify(actual.result), query).toBe(JSON.stringify(expected.result));
      }
      // Instant-vector selectors read the lookback's windows too: the newest value unless a
      // staleness marker follows it (every series has one at sample 400, and gaps).
      for (const query of [
        'avg by (job) (queue_depth)',
        'queue_depth',
        'timestamp(requests_total)',
        'requests_total offset 10m',
        'queue_depth > 0 and on(id) rate(requests_total[5m]) > 0 or queue_depth',
      ]) {
        for (const [start, end] of [
          [T0 + 600_000, T0 + 3 * HOUR],
          [T0 + 95 * 60_000, T0 + 110 * 60_000],
        ] as const) {
          const before = windowCalls;
          const expected = await samples.rangeQuery(query, start, end, 300_000);
          const actual = await viaRollups.rangeQuery(query, start, end, 300_000);
          expect(windowCalls, query).toBeGreaterThan(before);
          expect(JSON.stringify(actual.result), query).toBe(JSON.stringify(expected.result));
        }
        const t = T0 + 100 * 60_000;
        expect(JSON.stringify((await viaRollups.instantQuery(query, t)).result), query).toBe(
          JSON.stringify((await samples.instantQuery(query, t)).result),
        );
      }
      // A 60 s step is not aligned to the buckets: samples, no window call.
      const before = windowCalls;
      await viaRollups.rangeQuery('rate(requests_total[5m])', T0 + HOUR, T0 + 2 * HOUR, 60_000);
      expect(windowCalls).toBe(before);
    } finally {
      rolled.selectWindows = original;
    }
  });

  it('marks buckets dirty when older samples arrive, keeps that across a restart, and rebuilds them', async () => {
    const c1 = series('requests_total', 'c1', 2, 'counter', 0);
    const lateT = T0 + HOUR + 7_500;
    expect((await rolled.insert([{ labels: c1.labels, timestampsMs: [lateT], values: [1] }])).kind).toBe(
      'ok',
    );
    expect(rolled.rollupState.dirtyRanges).toBe(1);
    const grid = { firstEndMs: T0 + 600_000, stepMs: 300_000, steps: 30, rangeMs: 300_000 };
    expect(rolled.rollupsServe(grid)).toBe(false);
    // Outside the dirty bucket the rollups still serve.
    expect(rolled.rollupsServe({ ...grid, firstEndMs: T0 + 2 * HOUR, steps: 6 })).toBe(true);

    // Another process opening the store sees the dirty range in the saved state.
    const reopened = new MetricStore(rolledDb, { clock: () => clockMs });
    await reopened.rollups!.load();
    expect(reopened.rollupState).toEqual(rolled.rollupState);

    const result = await rolled.rollups!.catchUp();
    expect(result.rebuilt).toBe(1);
    expect(rolled.rollupState.dirtyRanges).toBe(0);
    const request: WindowRequest = { ...grid, matchers: [{ name: 'id', op: '=', value: 'c1' }] };
    expect(rolled.rollupsServe(request)).toBe(true);
    await expectReference(request);
    // The late sample is a drop to 1: a reset inside its window.
    const [w] = await rolled.selectWindows(request);
    const k = Array.from(w!.step).indexOf((T0 + HOUR + 300_000 - grid.firstEndMs) / 300_000);
    expect(w!.resets[k]?.length ?? 0).toBeGreaterThan(0);
  });

  it('sees a series written after the same matchers were answered (the cached answer is dropped)', async () => {
    // The rollup read names the matching series from the last answer to the same matchers;
    // a series row written since must invalidate it.
    const request: WindowRequest = {
      firstEndMs: T0 + 600_000,
      stepMs: 300_000,
      steps: 30,
      rangeMs: 300_000,
      matchers: [{ name: '__name__', op: '=', value: 'queue_depth' }],
    };
    const before = await rolled.selectWindows(request);
    const late = slice(series('queue_depth', 'g9', 99, 'gauge', 0), 0, 720);
    expect((await rolled.insert([late])).kind).toBe('ok');
    const after = await rolled.selectWindows(request);
    expect(after.length).toBe(before.length + 1);
    expect(after.some((w) => w.labels.some((l) => l.name === 'id' && l.value === 'g9'))).toBe(true);
    await expectReference(request);
  });
});

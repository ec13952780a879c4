/**
 * The in-memory head against ClickHouse (real chDB): a store answering from memory returns what
 * a store reading ClickHouse returns, for data with what makes it hard — batches out of time
 * order, a sample written twice with different values, staleness markers, a failed write — and
 * after a restart (filled back from ClickHouse), and it turns itself off when the series are
 * too many for its budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Label, LabelMatcher, MetricSeries } from '@vigil/protocols';
import { openTestDatabase, type TestDatabase } from '../../testing/test-database.ts';
import { MetricStore } from '../metric-store.ts';

const MIN = 60_000;
const NOW = Math.floor(Date.now() / MIN) * MIN;
const T0 = NOW - 90 * MIN;

const labels = (record: Record<string, string>): Label[] =>
  Object.entries(record).map(([name, value]) => ({ name, value }));

/** 90 minutes at 15 s, a staleness marker at sample 200, a gap at 100-119. */
function series(id: string, job: string, seed: number): MetricSeries {
  const timestampsMs: number[] = [];
  const values: number[] = [];
  const staleIndexes: number[] = [];
  for (let i = 0; i < 360; i++) {
    if (i >= 100 && i < 120) continue;
    if (i === 200) staleIndexes.push(timestampsMs.length);
    timestampsMs.push(T0 + i * 15_000 + (seed % 3) * 1_000);
    values.push(i === 200 ? NaN : seed * 1_000 + i * (seed % 2 === 0 ? 1 : -0.5));
  }
  return { labels: labels({ __name__: 'm', id, job }), timestampsMs, values, staleIndexes };
}

function part(s: MetricSeries, from: number, to: number): MetricSeries {
  return {
    labels: s.labels,
    timestampsMs: s.timestampsMs.slice(from, to),
    values: s.values.slice(from, to),
    staleIndexes: (s.staleIndexes ?? []).filter((i) => i >= from && i < to).map((i) => i - from),
  };
}

let t: TestDatabase;
let fromClickHouse: MetricStore;
const ALL = Array.from({ length: 6 }, (_, i) => series(`s${i}`, i % 2 === 0 ? 'a' : 'b', i + 1));

beforeAll(async () => {
  t = await openTestDatabase();
  fromClickHouse = new MetricStore(t.db, { recentSamples: false, rollups: false });
});
afterAll(async () => {
  await t?.cleanup();
});

const ranges: Array<[string, number, number]> = [
  ['all of it', T0 - MIN, NOW + MIN],
  ['the last hour', NOW - 60 * MIN, NOW],
  ['across the gap and the marker', T0 + 20 * MIN, T0 + 55 * MIN],
  ['one instant', T0 + 45 * MIN, T0 + 45 * MIN],
];
const matcherSets: LabelMatcher[][] = [
  [{ name: '__name__', op: '=', value: 'm' }],
  [{ name: 'job', op: '=', value: 'b' }],
  [{ name: 'id', op: '=~', value: 's[03]' }],
];

async function expectSameAsClickHouse(store: MetricStore): Promise<void> {
  const plain = (x: unknown) =>
    JSON.stringify(x, (_k, v: unknown) =>
      v instanceof Float64Array ? Array.from(v, (n) => (Number.isNaN(n) ? 'NaN' : n)) : v,
    );
  for (const [, start, end] of ranges) {
    for (const matchers of matcherSets) {
      const expected = await fromClickHouse.select(matchers, start, end);
      expect(plain(await store.select(matchers, start, end))).toBe(plain(expected));
    }
  }
}

describe('recent samples in memory', () => {
  it('answers as ClickHouse does for what it covers', async () => {
    const store = new MetricStore(t.db, { rollups: false });
    await store.recentReady();
    // An empty store: covered from the retention's start (3 h) on.
    expect(store.recentState!.samples).toBe(0);
    expect(store.recentState!.validFromMs).toBeLessThanOrEqual(NOW - 179 * MIN);
    // The newer half first, then the older half, then one sample again with another value.
    expect((await store.insert(ALL.map((s) => part(s, 150, 340)))).kind).toBe('ok');
    expect((await store.insert(ALL.map((s) => part(s, 0, 150)))).kind).toBe('ok');
    const again = part(ALL[0]!, 50, 51);
    expect((await store.insert([{ ...again, values: [-42] }])).kind).toBe('ok');
    expect(store.recentState!.samples).toBe(6 * 340);
    await expectSameAsClickHouse(store);
    const [s0] = await store.select(
      [{ name: 'id', op: '=', value: 's0' }],
      ...(ranges[0]!.slice(1) as [number, number]),
    );
    expect(Array.from(s0!.values)).toContain(-42);
    expect(s0!.staleIndexes).toHaveLength(1);
  });

  it('sees a series written after the same matchers were answered', async () => {
    const store = new MetricStore(t.db, { rollups: false });
    await store.recentReady();
    const matchers: LabelMatcher[] = [{ name: 'job', op: '=', value: 'new' }];
    expect(await store.select(matchers, NOW - 60 * MIN, NOW)).toEqual([]);
    const fresh: MetricSeries = {
      labels: labels({ __name__: 'm2', id: 'n1', job: 'new' }),
      timestampsMs: [NOW - MIN],
      values: [7],
    };
    expect((await store.insert([fresh])).kind).toBe('ok');
    const [found] = await store.select(matchers, NOW - 60 * MIN, NOW);
    expect(Array.from(found!.values)).toEqual([7]);
  });

  it('is filled back from ClickHouse after a restart', async () => {
    expect((await fromClickHouse.insert(ALL.map((s) => part(s, 340, 360)))).kind).toBe('ok');
    const restarted = new MetricStore(t.db, { rollups: false });
    await restarted.recentReady();
    expect(restarted.recentState!.samples).toBe(6 * 340 + 1);
    expect(restarted.recentState!.validFromMs).toBeLessThanOrEqual(T0);
    await expectSameAsClickHouse(restarted);
  });

  it('stops covering the times of a batch whose write failed', async () => {
    const store = new MetricStore(t.db, { rollups: false });
    await store.recentReady();
    const before = store.recentState!.validFromMs;
    const bad: MetricSeries = {
      labels: labels({ __name__: 'm', id: 'bad' }),
      timestampsMs: [NOW - MIN],
      values: [1],
    };
    const broken = new MetricStore(
      { ...t.db, insertNative: async () => Promise.reject(new Error('disk full')) } as typeof t.db,
      { rollups: false },
    );
    await broken.recentReady();
    expect((await broken.insert([bad])).kind).not.toBe('ok');
    expect(broken.recentState!.validFromMs).toBe(NOW - MIN + 1);
    expect(before).toBeLessThanOrEqual(T0);
  });

  it('turns itself off when its budget holds less than 15 minutes', async () => {
    const store = new MetricStore(t.db, { rollups: false, recentSamples: { maxSamples: 200 } });
    await store.recentReady();
    expect((await store.insert(ALL.map((s) => part(s, 0, 360)))).kind).toBe('ok');
    expect(store.recentState).toMatchObject({ samples: 0, on: false });
    // Still answers, from ClickHouse.
    await expectSameAsClickHouse(store);
  });

  it('judges its budget by the span of the samples it holds, not by the clock', async () => {
    // Samples ahead of the clock (a sender whose clock runs fast, a benchmark's advancing
    // timestamps) once made the span look empty and the head kept itself on, over budget.
    const clock = (): number => T0 - 3_600_000;
    const store = new MetricStore(t.db, { rollups: false, recentSamples: { maxSamples: 200, clock } });
    await store.recentReady();
    expect((await store.insert(ALL.map((s) => part(s, 0, 360)))).kind).toBe('ok');
    expect(store.recentState).toMatchObject({ samples: 0, on: false });
  });
});

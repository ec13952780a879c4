/**
 * The cache over the embedded store (real chDB): filled by the refresher with a controlled clock,
 * its answers compared with direct range queries of the same engine on the same data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@vigil/core';
import { compareLabels, type QueryResult } from '@vigil/promql';
import { makeTempDir } from '@vigil/testkit';
import { MetricStore, openDatabase, runMigrations, sql, type Database } from '@vigil/storage';
import { EmbeddedMetricsQueryService } from '../metrics/embedded-query-service.ts';
import { CacheStore } from './cache-store.ts';
import { defaultQueryRegistry } from './default-queries.ts';
import { SharedSelectEvaluator, type CacheEvaluator } from './evaluator.ts';
import { MetricsCache } from './metrics-cache.ts';
import { expandQuery } from './query-registry.ts';
import { Refresher } from './refresher.ts';
import { corootMetrics } from './testing/coroot-metrics.ts';
import { SeriesMemo, WriteBatch } from './write-batch.ts';
import { WrittenPoints } from './written-points.ts';

const STEP = 15_000;
const MIN = 60_000;
const NOW = Math.floor(Date.now() / (10 * MIN)) * 10 * MIN - 4 * MIN; // mid-chunk
const BACKFILL = 30 * MIN;
const CHECKED = [
  'container_cpu_usage',
  'container_memory_rss',
  'container_restarts',
  'l7_http_outbound_histogram',
  'container_net_tcp_retransmits',
  'node_cpu_usage_percent',
  'node_net_rx_bytes',
  'pg_up',
];

const temp = makeTempDir('vigil-cache-');
const registry = defaultQueryRegistry();
let db: Database;
let direct: EmbeddedMetricsQueryService;
let metricStore: MetricStore;
let clockMs = NOW;

async function openCache(evaluator: CacheEvaluator): Promise<{ cache: MetricsCache; refresher: Refresher }> {
  const store = await CacheStore.open({
    dataDir: temp.dir,
    database: 'cache_it_cache',
    ttlDays: 30,
    logger: silentLogger,
  });
  const clock = () => clockMs;
  const refresher = new Refresher({
    projectId: 'p',
    registry,
    store,
    evaluator,
    backfillMs: BACKFILL,
    clock,
    logger: silentLogger,
  });
  await refresher.load();
  return { cache: new MetricsCache('p', registry, store, refresher, BACKFILL, clock), refresher };
}

async function insert(startMs: number, endMs: number): Promise<void> {
  const outcome = await metricStore.insert(
    corootMetrics({ nodes: 2, containers: 6, startMs, endMs, stepMs: STEP }),
  );
  expect(outcome.kind).toBe('ok');
}

function directQuery(id: string, startMs: number, endMs: number, stepMs: number): Promise<QueryResult> {
  return direct.rangeQuery(expandQuery(registry.get(id).query, STEP), startMs, endMs, stepMs);
}

let cache: MetricsCache;
let refresher: Refresher;

/** The chunk ending at NOW, evaluated over its first minute, settled through `settledThroughMs`. */
function firstMinuteChunk(settledThroughMs: number) {
  return {
    startMs: NOW - 10 * MIN,
    endMs: NOW,
    stepMs: STEP,
    fromMs: NOW - 10 * MIN,
    throughMs: NOW - 9 * MIN,
    settledThroughMs,
    sealed: false,
  };
}

beforeAll(async () => {
  db = await openDatabase({ dataDir: temp.dir, database: 'cache_it' });
  await runMigrations(db);
  metricStore = new MetricStore(db);
  direct = new EmbeddedMetricsQueryService(metricStore);
  // Everything up to 31 s before NOW; the last 30 s arrive "late" in a test below.
  await insert(NOW - 45 * MIN, NOW - 31_000);
  ({ cache, refresher } = await openCache(new SharedSelectEvaluator(metricStore)));
  await refresher.refreshOnce();
});

afterAll(async () => {
  await cache?.shutdown();
  await db?.close();
  temp.cleanup();
});

describe('metrics cache over the embedded store', () => {
  it('detects the 15 s scrape interval from the data', () => {
    expect(refresher.stepMs).toBe(STEP);
    expect(refresher.stepSource).toBe('detected');
  });

  it.each(CHECKED)('answers %s exactly like a direct range query, across chunks', async (id) => {
    const [start, end] = [NOW - 25 * MIN, NOW - 2 * MIN];
    const read = await cache.read(id, start, end, STEP);
    const expected = await directQuery(id, start, end, STEP);
    expect(expected.resultType === 'matrix' && expected.result.length).toBeGreaterThan(0);
    expect(read.missing).toEqual([]);
    expect(read.result).toEqual(expected);
  });

  it('gives the model the same points in column arrays, also when part of the range is not cached', async () => {
    const [start, end] = [NOW - 25 * MIN, NOW + 5 * MIN];
    for (const id of CHECKED) {
      const read = await cache.read(id, start, end, STEP);
      const columns = await cache.readColumns(id, start, end, STEP);
      expect(columns.missing.length, id).toBeGreaterThan(0);
      expect(columns.missing, id).toEqual(read.missing);
      const asRead = columns.series
        .map((s) => ({
          metric: s.labels,
          timestampsMs: Array.from(s.timestampsMs),
          values: Array.from(s.values),
        }))
        .sort((a, b) => compareLabels(a.metric, b.metric));
      expect(asRead, id).toEqual(read.result.result);
    }
  });

  it('answers a coarser step with the backend answer at that step', async () => {
    const [start, end] = [NOW - 20 * MIN, NOW - MIN];
    const read = await cache.read('container_cpu_usage', start, end, 4 * STEP);
    expect(read.result).toEqual(await directQuery('container_cpu_usage', start, end, 4 * STEP));
  });

  it('stores NaN and ±Inf exactly (raw bits, not JSON)', async () => {
    const store = (cache as unknown as { store: CacheStore }).store;
    const chunk = firstMinuteChunk(NOW - 9 * MIN);
    const batch = new WriteBatch(new SeriesMemo(), clockMs);
    const t = [NOW - 10 * MIN, NOW - 10 * MIN + STEP, NOW - 10 * MIN + 2 * STEP, NOW - 9 * MIN];
    const values = [NaN, Infinity, -Infinity, -0.5];
    batch.addResult(
      'special_values',
      [{ metric: [{ name: 'a', value: 'b' }], timestampsMs: t, values }],
      chunk,
    );
    await batch.write(store.db);
    const [series] = await store.points('special_values', NOW - 10 * MIN, NOW - 9 * MIN, STEP);
    expect(series).toMatchObject({ labels: [{ name: 'a', value: 'b' }] });
    expect([...series!.values]).toEqual(values);
    expect([...series!.timestampsMs]).toEqual(t);
  });

  it('writes a re-evaluated point only when its value changed, and all of them after a failed insert', async () => {
    const store = (cache as unknown as { store: CacheStore }).store;
    const chunk = firstMinuteChunk(NOW - 10 * MIN - STEP);
    const t = [NOW - 10 * MIN, NOW - 10 * MIN + STEP, NOW - 10 * MIN + 2 * STEP, NOW - 9 * MIN];
    const metric = [{ name: 'a', value: 'rewrites' }];
    const written = new WrittenPoints();
    const round = async (values: number[], db: Database): Promise<number> => {
      const batch = new WriteBatch(new SeriesMemo(), clockMs, written);
      batch.addResult('rewrites', [{ metric, timestampsMs: t, values }], chunk);
      await batch.write(db);
      return batch.points;
    };
    expect(await round([1, 2, 3, 4], store.db)).toBe(4);
    expect(await round([1, 2, 3, 4], store.db)).toBe(0);
    expect(await round([1, 2, 3.5, 4], store.db)).toBe(1);
    const read = async () => (await store.points('rewrites', t[0]!, t[3]!, STEP))[0]?.values;
    expect([...(await read())!]).toEqual([1, 2, 3.5, 4]);

    // An insert that fails (a database without the cache's tables): the batch's points must
    // not count as written.
    const bare = await openDatabase({ dataDir: temp.dir, database: 'cache_it_bare' });
    await expect(round([1, 2, 3, 5], bare)).rejects.toThrow();
    // The next refresh evaluates the same values: they must reach the table now.
    expect(await round([1, 2, 3, 5], store.db)).toBe(4);
    expect([...(await read())!]).toEqual([1, 2, 3, 5]);
  });

  it('reports the times before the back-fill window as missing and answers the rest', async () => {
    const [start, end] = [NOW - 40 * MIN, NOW - 20 * MIN];
    const read = await cache.read('container_cpu_usage', start, end, STEP);
    expect(read.missing).toEqual([{ startMs: start, endMs: NOW - BACKFILL - STEP }]);
    const expected = await directQuery('container_cpu_usage', NOW - BACKFILL, end, STEP);
    expect(read.result).toEqual(expected);
  });

  it('re-evaluates the newest points when late samples arrive', async () => {
    const id = 'container_memory_rss';
    const before = await cache.read(id, NOW - 5 * MIN, NOW, STEP);
    await insert(NOW - 30_000, NOW + 20_000);
    clockMs = NOW + 20_000;
    await refresher.refreshOnce();
    const again = await cache.read(id, NOW - 5 * MIN, NOW, STEP);
    expect(again.result).not.toEqual(before.result);
    expect(again.result).toEqual(await directQuery(id, NOW - 5 * MIN, NOW, STEP));
    const [start, end] = [NOW - 5 * MIN, NOW + STEP];
    const read = await cache.read(id, start, end, STEP);
    expect(read.missing).toEqual([]);
    expect(read.result).toEqual(await directQuery(id, start, end, STEP));
  });

  it('reports lag, chunks, points and step per query', async () => {
    const status = await cache.status();
    expect(status.stepMs).toBe(STEP);
    const q = status.queries.find((s) => s.id === 'container_cpu_usage')!;
    expect(q.cachedThroughMs).toBe(NOW + STEP);
    expect(q.lagMs).toBe(clockMs - (NOW + STEP));
    expect(q.lastError).toBeNull();
    expect(q.chunks).toBe(4); // 30 min back from NOW - 4 min within 10-minute chunks: 4 chunks
    expect(q.points).toBeGreaterThan(6 * (BACKFILL / STEP));
  });

  it('refuses reads off the cache grid and unknown query ids', async () => {
    await expect(cache.read('container_cpu_usage', NOW - 5 * MIN + 1000, NOW, STEP)).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(cache.read('no_such_query', NOW - 5 * MIN, NOW, STEP)).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('keeps answering from disk alone after a restart with the backend gone', async () => {
    const [start, end] = [NOW - 25 * MIN, NOW];
    const before = await cache.read('container_cpu_usage', start, end, STEP);
    await cache.shutdown();
    const down: CacheEvaluator = {
      instantQuery: () => Promise.reject(new Error('backend unreachable')),
      rangeQuery: () => Promise.reject(new Error('backend unreachable')),
    };
    ({ cache, refresher } = await openCache(down));
    clockMs = NOW + 2 * MIN;
    await refresher.refreshOnce();
    const after = await cache.read('container_cpu_usage', start, end, STEP);
    expect(after).toEqual(before);
    const status = (await cache.status()).queries.find((s) => s.id === 'container_cpu_usage')!;
    expect(status.lastError).toContain('backend unreachable');
    expect(status.cachedThroughMs).toBe(NOW + STEP);
  });

  it('compacts closed days into one part without changing answers', async () => {
    const store = (cache as unknown as { store: CacheStore }).store;
    const before = await cache.read('container_cpu_usage', NOW - 25 * MIN, NOW, STEP);
    await store.compact(NOW + 2 * 86_400_000);
    const parts = await store.db.query<{ n: number }>(
      sql`SELECT count() AS n FROM system.parts WHERE database = ${store.db.database} AND table = 'cache_points' AND active GROUP BY partition_id`,
    );
    expect(parts.length).toBeGreaterThan(0);
    expect(parts.map((p) => Number(p.n))).toEqual(parts.map(() => 1));
    expect(await cache.read('container_cpu_usage', NOW - 25 * MIN, NOW, STEP)).toEqual(before);
  });
});

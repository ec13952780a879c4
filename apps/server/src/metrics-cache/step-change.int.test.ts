/**
 * The cache when the step it evaluates at changes (real chDB store and cache, real engine,
 * controlled clock): readers keep getting every point at the step they are told to use, before,
 * while and after the cache moves to the new step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@vigil/core';
import { makeTempDir } from '@vigil/testkit';
import { MetricStore, openDatabase, runMigrations, type Database } from '@vigil/storage';
import { EmbeddedMetricsQueryService } from '../metrics/embedded-query-service.ts';
import { CacheStore } from './cache-store.ts';
import { SharedSelectEvaluator, type CacheEvaluator, type RangeQuery, type RoundScope } from './evaluator.ts';
import { MetricsCache } from './metrics-cache.ts';
import { expandQuery, QueryRegistry } from './query-registry.ts';
import { Refresher } from './refresher.ts';
import { corootMetrics } from './testing/coroot-metrics.ts';

const MIN = 60_000;
const OLD_STEP = 15_000;
const NEW_STEP = 5_000;
/** Mid-chunk, and far enough back that every sample written below is in the past. */
const NOW = Math.floor(Date.now() / (10 * MIN)) * 10 * MIN - 14 * MIN;
const QUERY = 'rate(container_resources_cpu_usage_seconds_total[$RANGE])';

const temp = makeTempDir('vigil-cache-step-');
const databases: Database[] = [];
const caches: MetricsCache[] = [];

afterAll(async () => {
  for (const c of caches) await c.shutdown();
  for (const d of databases) await d.close();
  temp.cleanup();
});

/** The embedded engine's evaluator, whose next round can be held at its start. */
class HoldableEvaluator implements CacheEvaluator {
  readonly concurrency: number;
  #hold: { entered: () => void; released: Promise<void> } | undefined;

  constructor(private readonly inner: SharedSelectEvaluator) {
    this.concurrency = inner.concurrency;
  }

  instantQuery: CacheEvaluator['instantQuery'] = (...args) => this.inner.instantQuery(...args);
  rangeQuery: RangeQuery = (...args) => this.inner.rangeQuery(...args);

  /** Holds the next round until `release`; `entered` resolves once the round is waiting. */
  holdNextRound(): { entered: Promise<void>; release: () => void } {
    let release!: () => void;
    let entered!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const enteredP = new Promise<void>((r) => (entered = r));
    this.#hold = { entered, released };
    return { entered: enteredP, release };
  }

  async round<T>(scope: RoundScope, fn: (rangeQuery: RangeQuery) => Promise<T>): Promise<T> {
    const hold = this.#hold;
    this.#hold = undefined;
    if (hold) {
      hold.entered();
      await hold.released;
    }
    return this.inner.round(scope, fn);
  }
}

async function setUp(name: string, clock: () => number) {
  const db = await openDatabase({ dataDir: temp.dir, database: name });
  databases.push(db);
  await runMigrations(db);
  const metrics = new MetricStore(db);
  const store = await CacheStore.open({
    dataDir: temp.dir,
    database: `${name}_cache`,
    ttlDays: 30,
    logger: silentLogger,
  });
  const registry = new QueryRegistry([{ id: 'cpu_rate', query: QUERY, description: 'CPU rate' }]);
  const evaluator = new HoldableEvaluator(new SharedSelectEvaluator(metrics));
  const backfillMs = 15 * MIN;
  const refresher = new Refresher({
    projectId: 'p',
    registry,
    store,
    evaluator,
    backfillMs,
    clock,
    logger: silentLogger,
  });
  await refresher.load();
  const cache = new MetricsCache('p', registry, store, refresher, backfillMs, clock);
  caches.push(cache);
  const insert = async (startMs: number, endMs: number, stepMs: number) => {
    const outcome = await metrics.insert(corootMetrics({ nodes: 1, containers: 3, startMs, endMs, stepMs }));
    expect(outcome.kind).toBe('ok');
  };
  /** Refreshes until nothing is left to back-fill at the clock's time. */
  const catchUp = async () => {
    for (let i = 0; i < 20; i++) {
      await refresher.refreshOnce();
      if (refresher.pendingBackfill() === 0) return;
    }
    throw new Error('the cache did not catch up');
  };
  return { metrics, evaluator, refresher, cache, insert, catchUp };
}

describe('metrics cache changing its step', () => {
  let clockMs = NOW;
  let env: Awaited<ReturnType<typeof setUp>>;
  beforeAll(async () => {
    env = await setUp('step_change', () => clockMs);
    // The agents scrape every 15 s, then from NOW + 1 min on every 5 s.
    await env.insert(NOW - 20 * MIN, NOW + MIN, OLD_STEP);
    await env.insert(NOW + MIN, NOW + 12 * MIN, NEW_STEP);
  });

  const direct = (startMs: number, endMs: number, stepMs: number) =>
    new EmbeddedMetricsQueryService(env.metrics).rangeQuery(
      expandQuery(QUERY, stepMs),
      startMs,
      endMs,
      stepMs,
    );

  /** Every point of [startMs, endMs] at the cache's step: cached, and the engine's own. */
  const expectComplete = async (startMs: number, endMs: number) => {
    const stepMs = env.cache.stepMs;
    const read = await env.cache.read('cpu_rate', startMs, endMs, stepMs);
    expect(read.missing, `missing at a ${stepMs} ms step`).toEqual([]);
    expect(read.result.result).toHaveLength(3);
    for (const s of read.result.result) expect(s.timestampsMs).toHaveLength((endMs - startMs) / stepMs + 1);
    expect(read.result).toEqual(await direct(startMs, endMs, stepMs));
  };

  it('evaluates at the detected scrape interval and answers every point', async () => {
    await env.catchUp();
    expect(env.refresher.stepSource).toBe('detected');
    expect(env.cache.stepMs).toBe(OLD_STEP);
    clockMs = NOW + 9 * MIN;
    await env.catchUp();
    await expectComplete(NOW + 4 * MIN, NOW + 9 * MIN);
  });

  it('keeps answering every point at the old step until the new step has data', async () => {
    // Ten minutes after the last detection the cache detects again: 5 s, and starts over.
    clockMs = NOW + 10 * MIN + 250;
    const held = env.evaluator.holdNextRound();
    const refresh = env.refresher.refreshOnce();
    try {
      await held.entered;
      // Nothing is stored at 5 s yet: a reader told to use 5 s would get one point in three.
      const [status] = (await env.cache.status()).queries;
      const throughMs = status!.cachedThroughMs!;
      expect(throughMs).toBe(NOW + 9 * MIN);
      await expectComplete(throughMs - 5 * MIN, throughMs);
      expect(env.cache.stepMs).toBe(OLD_STEP);
      expect(env.refresher.evaluationStepMs).toBe(NEW_STEP);
    } finally {
      held.release();
      await refresh;
    }
    expect(env.cache.stepMs).toBe(NEW_STEP);
    await expectComplete(NOW + 5 * MIN, NOW + 10 * MIN);
  });

  it('answers at the step of what is on disk after a restart, before its first refresh', async () => {
    await env.cache.shutdown();
    caches.splice(caches.indexOf(env.cache), 1);
    const store = await CacheStore.open({
      dataDir: temp.dir,
      database: 'step_change_cache',
      ttlDays: 30,
      logger: silentLogger,
    });
    const refresher = new Refresher({
      projectId: 'p',
      registry: env.cache.registry,
      store,
      evaluator: env.evaluator,
      backfillMs: 15 * MIN,
      clock: () => clockMs,
      logger: silentLogger,
    });
    await refresher.load();
    const cache = new MetricsCache('p', env.cache.registry, store, refresher, 15 * MIN, () => clockMs);
    caches.push(cache);
    expect(cache.stepMs).toBe(NEW_STEP);
    const read = await cache.read('cpu_rate', NOW + 5 * MIN, NOW + 10 * MIN, cache.stepMs);
    expect(read.missing).toEqual([]);
  });
});

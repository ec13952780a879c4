/**
 * A cache that cannot keep up falls behind instead of refreshing back to back: the refresher
 * waits at least as long as a refresh took (real loop, real timers, real chDB cache store; the
 * evaluator is slow on purpose).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@vigil/core';
import type { QueryResult } from '@vigil/promql';
import { makeTempDir } from '@vigil/testkit';
import { CacheStore } from './cache-store.ts';
import type { CacheEvaluator } from './evaluator.ts';
import { QueryRegistry } from './query-registry.ts';
import { Refresher } from './refresher.ts';

const temp = makeTempDir('vigil-cache-share-');
let store: CacheStore | undefined;

afterAll(async () => {
  await store?.close();
  temp.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('refresher loop', () => {
  it('spends at most about half of the wall time refreshing when refreshes are slow', async () => {
    store = await CacheStore.open({
      dataDir: temp.dir,
      database: 'share_cache',
      ttlDays: 1,
      logger: silentLogger,
    });
    const empty: QueryResult = { resultType: 'matrix', result: [] };
    const slow: CacheEvaluator = {
      instantQuery: () => Promise.resolve({ resultType: 'vector', result: [] }),
      rangeQuery: async () => {
        await sleep(250);
        return empty;
      },
    };
    const refreshes: Array<{ startMs: number; endMs: number }> = [];
    const refresher = new Refresher({
      projectId: 'p',
      registry: new QueryRegistry([{ id: 'q', query: 'up', description: 'up' }]),
      store,
      evaluator: slow,
      backfillMs: 0,
      stepMs: 1_000,
      refreshMs: 100,
      logger: silentLogger,
      onRefresh: (durationMs) => refreshes.push({ startMs: Date.now() - durationMs, endMs: Date.now() }),
    });
    await refresher.start();
    await sleep(3_000);
    await refresher.shutdown();
    expect(refreshes.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < refreshes.length; i++) {
      const prev = refreshes[i - 1]!;
      // Idle before the next refresh at least as long as the previous one was busy (a few ms of
      // timer slack allowed).
      expect(refreshes[i]!.startMs - prev.endMs).toBeGreaterThanOrEqual(prev.endMs - prev.startMs - 5);
    }
  });
});

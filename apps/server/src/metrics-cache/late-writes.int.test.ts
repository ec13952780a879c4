/**
 * Samples that arrive after the cache evaluated their times — an agent replaying its spool after
 * an outage, history loaded after the fact — are not lost to the model: the cache evaluates those
 * times again once the write has landed, and until it has, its status counts them as pending.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remoteWrite } from '../testing/remote-write.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import type { CacheStatus } from './metrics-cache.ts';
import { corootMetrics } from './testing/coroot-metrics.ts';

const STEP = 5_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface RangeAnswer {
  data: { result: Array<{ values: Array<[number, string]> }> };
  missing: unknown[];
}

describe('metrics cache and late samples', () => {
  let vigil: TestServer;
  beforeAll(async () => {
    vigil = await startTestServer({
      VIGIL_CACHE_STEP: '5s',
      VIGIL_CACHE_REFRESH: '1s',
      VIGIL_CACHE_BACKFILL: '30m',
    });
  });
  afterAll(async () => {
    await vigil?.stop();
  });

  const status = async () => (await vigil.getJson<CacheStatus>('/api/v1/cache/status')).body;

  it('evaluates again the times a late write covers', async () => {
    // The cache first evaluates the last half hour while nothing is stored.
    for (
      let i = 0;
      i < 200 &&
      ((await status()).backfillPending > 0 ||
        (await status()).queries.some((q) => q.cachedThroughMs === null));
      i++
    )
      await sleep(200);
    const end = Math.floor(Date.now() / STEP) * STEP - 10 * 60_000;
    const from = end - 10 * 60_000;
    const range = `/api/v1/cache/query_range?query=container_cpu_usage&from=${from + 120_000}&to=${end}&step=${STEP}`;
    const before = await vigil.getJson<RangeAnswer>(range);
    expect(before.body.missing).toEqual([]);
    expect(before.body.data.result).toEqual([]);

    // Then ten minutes of two containers arrive, ending ten minutes ago.
    const res = await remoteWrite(
      vigil,
      corootMetrics({ nodes: 1, containers: 2, startMs: from, endMs: end, stepMs: STEP, offsetMs: 0 }),
    );
    expect(res.status).toBe(204);
    expect((await status()).backfillPending).toBeGreaterThan(0);
    for (let i = 0; i < 300 && (await status()).backfillPending > 0; i++) await sleep(200);

    const after = await vigil.getJson<RangeAnswer>(range);
    expect(after.body.missing).toEqual([]);
    expect(after.body.data.result).toHaveLength(2);
    for (const s of after.body.data.result) expect(s.values.length).toBe((end - from - 120_000) / STEP + 1);
  }, 120_000);
});

/**
 * A scenario's metric history (testkit scenarios: the shop's agents over a window, with effects)
 * written to a test server by remote write, as the agents would have pushed it, and the wait for
 * the metrics cache to hold it.
 */
import { expect } from 'vitest';
import type { MetricSeries } from '@vigil/protocols';
import { shopSystem, simulate, type Effect } from '@vigil/testkit/scenarios';
import type { CacheStatus } from '../metrics-cache/metrics-cache.ts';
import { remoteWrite } from './remote-write.ts';
import type { TestServer } from './test-server.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function writeShopHistory(
  server: TestServer,
  effects: readonly Effect[],
  window: { fromMs: number; toMs: number; scrapeMs: number; seed: number },
): Promise<void> {
  const series: MetricSeries[] = simulate(shopSystem(), effects, window).map((s) => ({
    labels: Object.entries(s.labels)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, value]) => ({ name, value })),
    timestampsMs: s.timestampsMs,
    values: s.values,
  }));
  for (let i = 0; i < series.length; i += 50) {
    const res = await remoteWrite(server, series.slice(i, i + 50));
    expect(res.status, await res.text()).toBe(204);
  }
}

/** Waits (up to five minutes) until the cache has back-filled and evaluated through `endMs`. */
export async function waitForCache(server: TestServer, endMs: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const s = (await server.getJson<CacheStatus>('/api/v1/cache/status')).body;
    if (
      s.backfillPending === 0 &&
      s.queries.every((q) => q.cachedThroughMs !== null && q.cachedThroughMs >= endMs)
    )
      return;
    await sleep(500);
  }
  throw new Error('the metrics cache did not catch up within five minutes');
}

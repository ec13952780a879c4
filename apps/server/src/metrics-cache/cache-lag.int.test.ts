/**
 * Freshness: while an agent-like writer sends samples with current timestamps every second (remote
 * write into the embedded store), the cache's lag stays within one step + 5 s, as the status API
 * and the self-metrics report it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remoteWrite } from '../testing/remote-write.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import type { CacheStatus } from './metrics-cache.ts';
import { corootMetrics } from './testing/coroot-metrics.ts';

const STEP = 1_000;
const WRITE_FOR_MS = 10_000;

async function status(server: TestServer): Promise<CacheStatus> {
  const res = await server.getJson<CacheStatus>('/api/v1/cache/status');
  expect(res.status).toBe(200);
  return res.body;
}

async function writeNow(server: TestServer): Promise<void> {
  const now = Date.now();
  const series = corootMetrics({
    nodes: 1,
    containers: 3,
    startMs: now,
    endMs: now + 1,
    stepMs: STEP,
    offsetMs: 0,
  });
  const res = await remoteWrite(server, series);
  expect(res.status).toBe(204);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('metrics cache freshness', () => {
  let vigil: TestServer;
  beforeAll(async () => {
    vigil = await startTestServer({ VIGIL_CACHE_STEP: '1s' });
  });
  afterAll(async () => {
    await vigil?.stop();
  });

  it('keeps every query within one step + 5 s of now while data keeps arriving', async () => {
    // The first refresh runs at start; wait for it rather than count its start-up as lag.
    for (let i = 0; i < 100 && (await status(vigil)).queries.some((q) => q.cachedThroughMs === null); i++) {
      await sleep(100);
    }
    const lags: number[] = [];
    const started = Date.now();
    let nextWrite = started;
    while (Date.now() - started < WRITE_FOR_MS) {
      if (Date.now() >= nextWrite) {
        await writeNow(vigil);
        nextWrite += STEP;
      }
      const s = await status(vigil);
      expect(s.stepMs).toBe(STEP);
      for (const q of s.queries) {
        expect(q.lagMs, `${q.id} has been refreshed`).not.toBeNull();
        expect(q.lastError, q.id).toBeNull();
        lags.push(q.lagMs!);
      }
      await sleep(500);
    }
    expect(lags.length).toBeGreaterThan(15 * 30);
    expect(Math.max(...lags)).toBeLessThanOrEqual(STEP + 5_000);

    // The samples written are in the cache, not just evaluated-empty times.
    const to = Math.floor(Date.now() / STEP) * STEP - 2 * STEP;
    const from = to - 5 * STEP;
    const res = await vigil.getJson<{ data: { result: { values: unknown[] }[] }; missing: unknown[] }>(
      `/api/v1/cache/query_range?query=container_cpu_usage&from=${from}&to=${to}&step=${STEP}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.missing).toEqual([]);
    expect(res.body.data.result).toHaveLength(3);
    for (const s of res.body.data.result) expect(s.values).toHaveLength(6);
  });

  it('exports the lag per query and the refresh duration as self-metrics', async () => {
    const text = await (await fetch(`${vigil.api}/metrics`)).text();
    const lag =
      /vigil_metrics_cache_lag_seconds\{project="default",query="container_cpu_usage"\} ([0-9.e+-]+)/.exec(
        text,
      );
    expect(lag).not.toBeNull();
    expect(Number(lag![1])).toBeLessThanOrEqual((STEP + 5_000) / 1000);
    expect(text).toMatch(/vigil_metrics_cache_refresh_duration_seconds_count\{project="default"\} [1-9]/);
  });

  it('exports the samples held in memory and the rollups still to rebuild', async () => {
    const text = await (await fetch(`${vigil.api}/metrics`)).text();
    const value = (name: string) =>
      Number(new RegExp(`${name}\\{project="default"\\} ([0-9.e+-]+)`).exec(text)?.[1]);
    // What the freshness test wrote through remote write is in memory, and covers hours back.
    expect(value('vigil_metrics_recent_samples')).toBeGreaterThan(0);
    expect(value('vigil_metrics_recent_window_seconds')).toBeGreaterThan(3600);
    expect(value('vigil_metrics_rollup_dirty_ranges')).toBe(0);
  });
});

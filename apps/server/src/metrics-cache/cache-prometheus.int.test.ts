/**
 * The cache in external-backend mode against the real Prometheus from Debian: samples written
 * to Vigil by remote write (forwarded to Prometheus), the cache filled at a 1 s step, its answers
 * equal to Prometheus's own query_range; then Prometheus is stopped and Vigil restarted on the
 * same data directory, and the cache still answers the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricSeries } from '@vigil/protocols';
import {
  makeTempDir,
  prometheusAvailable,
  serviceGate,
  startPrometheus,
  type PrometheusServer,
} from '@vigil/testkit';
import { remoteWrite } from '../testing/remote-write.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import type { CacheStatus } from './metrics-cache.ts';
import { corootMetrics } from './testing/coroot-metrics.ts';

const available = serviceGate('prometheus', prometheusAvailable(), 'apt-get install prometheus');

const STEP = 1_000;
const ENV = { VIGIL_CACHE_STEP: '1s', VIGIL_CACHE_BACKFILL: '3m', VIGIL_CACHE_REFRESH: '1s' };
const IDS = [
  'container_cpu_usage',
  'container_memory_rss',
  'l7_http_outbound_histogram',
  'node_cpu_usage_percent',
  'pg_up',
];

type Matrix = { metric: Record<string, string>; values: [number, string][] }[];
type CacheAnswer = {
  data: { resultType: string; result: Matrix };
  missing: { fromMs: number; toMs: number }[];
};

async function write(server: TestServer, series: MetricSeries[]): Promise<void> {
  const res = await remoteWrite(server, series);
  expect(res.status, await res.text()).toBe(204);
}

async function readCache(server: TestServer, id: string, fromMs: number, toMs: number): Promise<CacheAnswer> {
  const res = await server.getJson<CacheAnswer>(
    `/api/v1/cache/query_range?query=${id}&from=${fromMs}&to=${toMs}&step=${STEP}`,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function status(server: TestServer): Promise<CacheStatus> {
  const res = await server.getJson<CacheStatus>('/api/v1/cache/status');
  expect(res.status).toBe(200);
  return res.body;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Numbers instead of Go-formatted strings, so the comparison is of values. */
const numeric = (m: Matrix) =>
  m.map((s) => ({ metric: s.metric, values: s.values.map(([t, v]) => [t, Number(v)]) }));

describe.runIf(available)('metrics cache with an external Prometheus', () => {
  const temp = makeTempDir('vigil-cache-prom-');
  let prom: PrometheusServer;
  let vigil: TestServer;
  const writtenThroughMs = Math.floor(Date.now() / 1000) * 1000;
  const [fromMs, toMs] = [writtenThroughMs - 60_000, writtenThroughMs - 5_000];
  const answers = new Map<string, CacheAnswer>();

  beforeAll(async () => {
    prom = await startPrometheus({ extraArgs: ['--web.enable-remote-write-receiver'] });
    // Two minutes of history reach Prometheus through Vigil before the cache runs, so the cache
    // back-fills them from the backend (a cache that evaluated those times before the samples
    // existed would, rightly, hold them as settled empty points).
    const writer = await startTestServer(
      { VIGIL_PROMETHEUS_URL: prom.url, VIGIL_CACHE_ENABLED: 'false' },
      temp.dir,
    );
    try {
      await write(
        writer,
        corootMetrics({
          nodes: 1,
          containers: 3,
          startMs: writtenThroughMs - 120_000,
          endMs: writtenThroughMs + 1,
          stepMs: STEP,
          offsetMs: 0,
        }),
      );
    } finally {
      await writer.stop();
    }
    vigil = await startTestServer({ VIGIL_PROMETHEUS_URL: prom.url, ...ENV }, temp.dir);
  });
  afterAll(async () => {
    await vigil?.stop();
    await prom?.stop();
    temp.cleanup();
  });

  it('fills at the configured step and answers like Prometheus query_range', async () => {
    for (const id of IDS) {
      const cached = await until(`${id} cached`, async () => {
        const a = await readCache(vigil, id, fromMs, toMs);
        return a.missing.length === 0 && a.data.result.length > 0 ? a : undefined;
      });
      answers.set(id, cached);
      const query = (await status(vigil)).queries.find((q) => q.id === id)!.query;
      const direct = (await prom.api('/api/v1/query_range', {
        query,
        start: String(fromMs / 1000),
        end: String(toMs / 1000),
        step: '1',
      })) as { data: { result: Matrix } };
      expect(direct.data.result.length).toBeGreaterThan(0);
      expect(numeric(cached.data.result), id).toEqual(numeric(direct.data.result));
    }
    const s = await status(vigil);
    expect(s.stepMs).toBe(STEP);
    expect(s.stepSource).toBe('configured');
  });

  it('keeps answering with Prometheus stopped, and says why it is not refreshing', async () => {
    await prom.stop();
    for (const id of IDS) expect(await readCache(vigil, id, fromMs, toMs)).toEqual(answers.get(id));
    const failing = await until('a refresh error', async () => {
      const q = (await status(vigil)).queries.find((x) => x.id === 'container_cpu_usage')!;
      return q.lastError ? q : undefined;
    });
    expect(failing.cachedThroughMs).toBeGreaterThanOrEqual(writtenThroughMs);
  });

  it('answers the same after a restart of Vigil on the same data directory, backend still down', async () => {
    await vigil.stop();
    vigil = await startTestServer({ VIGIL_PROMETHEUS_URL: prom.url, ...ENV }, temp.dir);
    for (const id of IDS) expect(await readCache(vigil, id, fromMs, toMs)).toEqual(answers.get(id));
    const q = (await status(vigil)).queries.find((x) => x.id === 'container_cpu_usage')!;
    expect(q.chunks).toBeGreaterThan(0);
    expect(q.points).toBeGreaterThan(0);
  });
});

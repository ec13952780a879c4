/**
 * External backend mode (VIGIL_PROMETHEUS_URL) against the real Prometheus and VictoriaMetrics
 * from Debian: remote write is forwarded, queries run on the backend, and the answers equal the
 * embedded mode's for the same samples.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricSeries } from '@vigil/protocols';
import {
  prometheusAvailable,
  serviceGate,
  startPrometheus,
  startVictoriaMetrics,
  victoriaMetricsAvailable,
} from '@vigil/testkit';
import { remoteWrite } from './testing/remote-write.ts';
import { startTestServer, type TestServer } from './testing/test-server.ts';

const available =
  serviceGate('prometheus', prometheusAvailable(), 'apt-get install prometheus') &&
  serviceGate('victoria-metrics', victoriaMetricsAvailable(), 'apt-get install victoria-metrics');

const NOW = Math.floor(Date.now() / 1000) * 1000;
const STEP = 15_000;

/** Two jobs × three instances of a counter and a gauge over the last 10 minutes. */
function samples(): MetricSeries[] {
  const out: MetricSeries[] = [];
  for (const job of ['api', 'db']) {
    for (let i = 0; i < 3; i++) {
      const ts: number[] = [];
      const counter: number[] = [];
      const gauge: number[] = [];
      for (let t = NOW - 600_000, k = 0; t <= NOW; t += STEP, k++) {
        ts.push(t);
        counter.push(k * (i + 1) * (job === 'api' ? 3 : 1));
        gauge.push(Math.sin(k / 5) * 10 + i);
      }
      const base = { job, instance: `host-${i}:9100` };
      out.push({
        labels: lbl({ __name__: 'be_requests_total', ...base }),
        timestampsMs: ts,
        values: counter,
      });
      out.push({ labels: lbl({ __name__: 'be_queue_depth', ...base }), timestampsMs: ts, values: gauge });
    }
  }
  return out;
}
const lbl = (o: Record<string, string>) =>
  Object.entries(o)
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));

const QUERIES = [
  'be_queue_depth',
  'sum by (job) (rate(be_requests_total[2m]))',
  'max_over_time(be_queue_depth[5m])',
  'topk(2, be_queue_depth)',
  'be_requests_total / on(job, instance) group_left be_queue_depth',
];

type Json = {
  status: string;
  data: { resultType: string; result: unknown[] };
  errorType?: string;
  error?: string;
};

async function query(server: TestServer, path: string): Promise<{ status: number; body: Json }> {
  await server.server.forceFlush();
  return server.getJson<Json>(path);
}

type MatrixSeries = { metric: Record<string, string>; values: [number, string][] };

/** Same series, same timestamps, values within 1e-9 relative (VictoriaMetrics stores ~12-15 digits). */
function expectSameMatrix(actual: MatrixSeries[], expected: MatrixSeries[]): void {
  expect(actual.map((s) => s.metric)).toEqual(expected.map((s) => s.metric));
  actual.forEach((s, i) => {
    const want = expected[i]!;
    expect(s.values.map((v) => v[0])).toEqual(want.values.map((v) => v[0]));
    s.values.forEach(([, v], j) => {
      const a = Number(v);
      const b = Number(want.values[j]![1]);
      expect(
        Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)),
        `${JSON.stringify(s.metric)} at ${j}: ${a} vs ${b}`,
      ).toBe(true);
    });
  });
}

const sortResult = (r: { metric: Record<string, string> }[]) =>
  [...r].sort((a, b) => (JSON.stringify(a.metric) < JSON.stringify(b.metric) ? -1 : 1));

describe.runIf(available)('external metrics backends', () => {
  let embedded: TestServer;
  beforeAll(async () => {
    embedded = await startTestServer();
    expect((await remoteWrite(embedded, samples())).status).toBe(204);
  });
  afterAll(async () => {
    await embedded?.stop();
  });

  // keepsNames: MetricsQL keeps __name__ where PromQL drops it for functions that do not change
  // a series' meaning (max_over_time, …); docs/metrics.md lists this and VictoriaMetrics' ~15-digit
  // value precision as the known differences of that backend.
  const backends = {
    'Prometheus 2.42': async () => {
      const p = await startPrometheus({ extraArgs: ['--web.enable-remote-write-receiver'] });
      return { url: p.url, keepsNames: false, flush: async () => {}, stop: () => p.stop() };
    },
    VictoriaMetrics: async () => {
      const vm = await startVictoriaMetrics();
      return { url: vm.url, keepsNames: true, flush: () => vm.flush(), stop: () => vm.stop() };
    },
  };

  let n = 0;
  for (const [name, start] of Object.entries(backends)) {
    describe(name, () => {
      let backend: Awaited<ReturnType<(typeof backends)['VictoriaMetrics']>>;
      let vigil: TestServer;
      beforeAll(async () => {
        backend = await start();
        vigil = await startTestServer(
          { VIGIL_PROMETHEUS_URL: backend.url, VIGIL_CLICKHOUSE_DATABASE: `external_${++n}` },
          embedded.dataDir,
        );
        const res = await remoteWrite(vigil, samples());
        expect(res.status, await res.text()).toBe(204);
        await backend.flush();
      });
      afterAll(async () => {
        await vigil?.stop();
        await backend?.stop();
      });

      // Evaluation times fall between samples: PromQL 2.x windows are closed at the left end and
      // MetricsQL's are open, so a sample exactly on a window's edge would count in one only.
      it.each(QUERIES)('answers %s like the embedded mode (range query)', async (q) => {
        const path = `/api/v1/query_range?query=${encodeURIComponent(q)}&start=${(NOW - 299_000) / 1000}&end=${(NOW - 1000) / 1000}&step=30`;
        const ext = await query(vigil, path);
        const emb = await query(embedded, path);
        expect(ext.status, JSON.stringify(ext.body)).toBe(200);
        expect(emb.status, JSON.stringify(emb.body)).toBe(200);
        const ignoreName =
          backend.keepsNames && !emb.body.data.result.some((r) => '__name__' in (r as MatrixSeries).metric);
        const strip = (r: MatrixSeries[]) =>
          ignoreName
            ? r.map((x) => ({
                ...x,
                metric: Object.fromEntries(Object.entries(x.metric).filter(([k]) => k !== '__name__')),
              }))
            : r;
        const e = sortResult(strip(ext.body.data.result as MatrixSeries[]));
        const m = sortResult(emb.body.data.result as { metric: Record<string, string> }[]);
        expect(e.length).toBeGreaterThan(0);
        expectSameMatrix(e as MatrixSeries[], m as MatrixSeries[]);
      });

      it('answers a sample the backend refuses (out of order) with success, so agents do not retry it forever', async () => {
        const old: MetricSeries = {
          labels: lbl({ __name__: 'be_queue_depth', job: 'api', instance: 'host-0:9100' }),
          timestampsMs: [NOW - 3_000_000],
          values: [1],
        };
        const res = await remoteWrite(vigil, [old]);
        expect(res.status).toBe(204);
      });

      it('passes the backend errors of bad queries through in Prometheus shape', async () => {
        const res = await query(vigil, `/api/v1/query?query=${encodeURIComponent('sum(')}`);
        expect(res.status).toBe(400);
        expect(res.body.errorType).toBe('bad_data');
      });
    });
  }

  it('answers 503 for writes and queries while the backend is down', async () => {
    const p = await startPrometheus({ extraArgs: ['--web.enable-remote-write-receiver'] });
    const vigil = await startTestServer(
      { VIGIL_PROMETHEUS_URL: p.url, VIGIL_CLICKHOUSE_DATABASE: 'external_down' },
      embedded.dataDir,
    );
    try {
      await p.stop();
      const res = await remoteWrite(vigil, samples().slice(0, 1));
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('unreachable');
      const q = await query(vigil, '/api/v1/query?query=up');
      expect(q.status).toBe(503);
    } finally {
      await vigil.stop();
    }
  });
});

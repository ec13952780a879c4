/**
 * Vigil's Prometheus-compatible query API: a real Prometheus 2.42 scrapes a real
 * prometheus-node-exporter and remote-writes to Vigil; the node exporter's metrics are then read
 * back through every endpoint Grafana's Prometheus data source uses, in Prometheus's shapes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  nodeExporterAvailable,
  prometheusAvailable,
  serviceGate,
  startNodeExporter,
  startPrometheus,
  type NodeExporter,
  type PrometheusServer,
} from '@vigil/testkit';
import { startTestServer, TEST_API_KEY, type TestServer } from './testing/test-server.ts';

const available =
  serviceGate('prometheus', prometheusAvailable(), 'apt-get install prometheus') &&
  serviceGate(
    'prometheus-node-exporter',
    nodeExporterAvailable(),
    'apt-get install prometheus-node-exporter',
  );

type Api<T = unknown> = { status: string; data: T; errorType?: string; error?: string };

describe.runIf(available)(
  'Prometheus API over node-exporter metrics remote-written by a real Prometheus',
  () => {
    let t: TestServer;
    let exporter: NodeExporter;
    let prom: PrometheusServer;
    let cookie: string;

    const get = async <T>(path: string, headers: Record<string, string> = { cookie }) => {
      const res = await fetch(`${t.api}${path}`, { headers });
      return { status: res.status, body: (await res.json()) as Api<T> };
    };

    beforeAll(async () => {
      t = await startTestServer({ VIGIL_AUTH_ANONYMOUS_ROLE: '' });
      cookie = await t.login();
      exporter = await startNodeExporter();
      prom = await startPrometheus({
        config: [
          'global:',
          '  scrape_interval: 1s',
          'scrape_configs:',
          '  - job_name: node',
          '    static_configs:',
          `      - targets: ['${exporter.address}']`,
          'remote_write:',
          `  - url: ${t.api}/api/v1/write`,
          // Debian's Prometheus 2.42 drops custom `headers:`; Vigil also takes the key as a Bearer token.
          '    authorization:',
          `      credentials: ${TEST_API_KEY}`,
          '    queue_config:',
          '      batch_send_deadline: 1s',
          '    metadata_config:',
          '      send_interval: 1s',
          '',
        ].join('\n'),
      });
      // Wait until two scrapes have arrived through remote write.
      const deadline = Date.now() + 60_000;
      for (;;) {
        await t.server.forceFlush();
        const r = await get<{ result: unknown[] }>(
          `/api/v1/query?query=${encodeURIComponent('count_over_time(up{job="node"}[1m])')}`,
        );
        const v = (r.body.data.result[0] as { value?: [number, string] } | undefined)?.value?.[1];
        if (Number(v) >= 2) break;
        if (Date.now() > deadline)
          throw new Error(`no node-exporter samples arrived: ${JSON.stringify(r.body)}`);
        await new Promise((res) => setTimeout(res, 500));
      }
    }, 90_000);

    afterAll(async () => {
      await prom?.stop();
      await exporter?.stop();
      await t?.stop();
    });

    it('serves the scraped series with the labels Prometheus gave them', async () => {
      const r = await get<{
        resultType: string;
        result: { metric: Record<string, string>; value: [number, string] }[];
      }>(`/api/v1/query?query=${encodeURIComponent('up{job="node"}')}`);
      expect(r.status).toBe(200);
      expect(r.body.data.resultType).toBe('vector');
      expect(r.body.data.result).toEqual([
        {
          metric: { __name__: 'up', job: 'node', instance: exporter.address },
          value: [expect.any(Number), '1'],
        },
      ]);
    });

    it('answers the same count of CPU series as Prometheus itself', async () => {
      const q = encodeURIComponent('count(node_cpu_seconds_total)');
      const ours = await get<{ result: { value: [number, string] }[] }>(`/api/v1/query?query=${q}`);
      const theirs = (await prom.api('/api/v1/query', { query: 'count(node_cpu_seconds_total)' })) as Api<{
        result: { value: [number, string] }[];
      }>;
      expect(Number(ours.body.data.result[0]?.value[1])).toBeGreaterThan(0);
      expect(ours.body.data.result[0]?.value[1]).toBe(theirs.data.result[0]?.value[1]);
    });

    it('accepts query_range as a form POST, as Grafana sends it', async () => {
      const now = Date.now() / 1000;
      const res = await fetch(`${t.api}/api/v1/query_range`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          query: 'sum(rate(node_cpu_seconds_total[10s]))',
          start: String(now - 30),
          end: String(now),
          step: '2s',
        }).toString(),
      });
      const body = (await res.json()) as Api<{
        resultType: string;
        result: { values: [number, string][] }[];
      }>;
      expect(res.status).toBe(200);
      expect(body.data.resultType).toBe('matrix');
      expect(body.data.result[0]?.values.length).toBeGreaterThan(0);
    });

    it('lists series, label names and label values for match[] selectors', async () => {
      const series = await get<Record<string, string>[]>(
        `/api/v1/series?match[]=${encodeURIComponent('up{job="node"}')}`,
      );
      expect(series.body.data).toEqual([{ __name__: 'up', job: 'node', instance: exporter.address }]);
      const names = await get<string[]>(
        `/api/v1/labels?match[]=${encodeURIComponent('node_cpu_seconds_total')}`,
      );
      expect(names.body.data).toEqual(expect.arrayContaining(['__name__', 'cpu', 'instance', 'job', 'mode']));
      const modes = await get<string[]>(
        `/api/v1/label/mode/values?match[]=${encodeURIComponent('node_cpu_seconds_total')}`,
      );
      expect(modes.body.data).toEqual(expect.arrayContaining(['idle', 'system', 'user']));
      expect([...modes.body.data].sort()).toEqual(modes.body.data);
      const jobs = await get<string[]>('/api/v1/label/job/values');
      expect(jobs.body.data).toContain('node');
    });

    it('returns metadata that Prometheus sent along with remote write', async () => {
      const deadline = Date.now() + 30_000;
      let meta: Api<Record<string, { type: string; help: string }[]>>;
      do {
        await t.server.forceFlush();
        meta = (
          await get<Record<string, { type: string; help: string }[]>>(
            '/api/v1/metadata?metric=node_cpu_seconds_total',
          )
        ).body;
        if (meta.data.node_cpu_seconds_total) break;
        await new Promise((r) => setTimeout(r, 500));
      } while (Date.now() < deadline);
      expect(meta.data.node_cpu_seconds_total?.[0]).toEqual(
        expect.objectContaining({ type: 'counter', help: expect.stringContaining('CPU') }),
      );
    });

    it('reports a Prometheus version in buildinfo, which Grafana reads to pick features', async () => {
      const r = await get<{ version: string }>('/api/v1/status/buildinfo');
      expect(r.body.data.version).toMatch(/^2\.\d+\.\d+$/);
    });

    const badRequests: [string, string, number, string][] = [
      ['a syntax error', `/api/v1/query?query=${encodeURIComponent('sum(')}`, 400, 'parse error'],
      ['a missing query', '/api/v1/query', 400, 'query'],
      ['an unparseable time', '/api/v1/query?query=up&time=yesterday', 400, 'cannot parse "yesterday"'],
      [
        'a zero step',
        '/api/v1/query_range?query=up&start=1&end=2&step=0',
        400,
        'zero or negative query resolution step',
      ],
      [
        'end before start',
        '/api/v1/query_range?query=up&start=10&end=5&step=1',
        400,
        'end timestamp must not be before start time',
      ],
      ['too many points', '/api/v1/query_range?query=up&start=0&end=100000&step=1', 400, '11,000 points'],
      ['series without match[]', '/api/v1/series', 400, 'no match[] parameter provided'],
      [
        'a match[] that is not a selector',
        `/api/v1/series?match[]=${encodeURIComponent('sum(up)')}`,
        400,
        'match[]',
      ],
      ['an invalid label name', '/api/v1/label/1bad/values', 400, 'invalid label name'],
    ];
    it.each(badRequests)('answers %s with errorType bad_data', async (_what, path, status, text) => {
      const r = await get(path);
      expect(r.status).toBe(status);
      expect(r.body).toEqual({
        status: 'error',
        errorType: 'bad_data',
        error: expect.stringContaining(text),
      });
    });

    it('needs a reader: no session is 401, an ingestion key is not enough', async () => {
      expect((await get('/api/v1/query?query=up', {})).status).toBe(401);
      expect((await get('/api/v1/query?query=up', { 'x-api-key': TEST_API_KEY })).status).toBe(401);
    });

    it('accepts a read API token as a Bearer token', async () => {
      const res = await fetch(`${t.api}/api/v1/tokens`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'grafana' }),
      });
      const { token } = (await res.json()) as { token: string };
      const r = await get<{ result: unknown[] }>('/api/v1/query?query=up', {
        authorization: `Bearer ${token}`,
      });
      expect(r.status).toBe(200);
      expect(r.body.data.result.length).toBeGreaterThan(0);
    });
  },
);

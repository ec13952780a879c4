import { Metadata } from '@grpc/grpc-js';
import { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { compressSync } from 'snappy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodeRemoteWrite1,
  encodeRemoteWrite2,
  STALE_NAN_HIGH_WORD,
  type MetricSeries,
} from '@vigil/protocols';
import { exportMetrics, recordMetrics } from './testing/otel-metrics.ts';
import { startTestServer, TEST_API_KEY, type TestServer } from './testing/test-server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.stop();
});

const headers = { 'X-API-Key': TEST_API_KEY };

interface PromVector {
  status: string;
  data: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

async function instant(query: string, timeSeconds?: number): Promise<PromVector['data']['result']> {
  await t.server.forceFlush();
  const time = timeSeconds === undefined ? '' : `&time=${timeSeconds}`;
  const res = await t.getJson<PromVector>(`/api/v1/query?query=${encodeURIComponent(query)}${time}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data.result;
}

const series = (labels: Record<string, string>, points: [number, number][]): MetricSeries => ({
  labels: Object.entries(labels).map(([name, value]) => ({ name, value })),
  timestampsMs: points.map((p) => p[0]),
  values: points.map((p) => p[1]),
});

function remoteWrite(path: string, body: Buffer, extra: Record<string, string> = {}): Promise<Response> {
  return fetch(`${t.api}${path}`, {
    method: 'POST',
    headers: {
      ...headers,
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
      ...extra,
    },
    body: compressSync(body),
  });
}

describe('Prometheus remote write', () => {
  it('1.0 at /api/v1/write is stored and answered 204, and the samples are queryable', async () => {
    const now = Date.now();
    const body = encodeRemoteWrite1({
      series: [
        series({ __name__: 'rw1_requests_total', job: 'api', instance: 'a:1' }, [
          [now - 1000, 41],
          [now, 42],
        ]),
      ],
      metadata: [{ metricFamilyName: 'rw1_requests_total', type: 'counter', help: 'Requests.', unit: '' }],
    });
    const res = await remoteWrite('/api/v1/write', body);
    expect(res.status, await res.text()).toBe(204);
    const result = await instant('rw1_requests_total');
    expect(result).toEqual([
      {
        metric: { __name__: 'rw1_requests_total', job: 'api', instance: 'a:1' },
        value: [expect.any(Number), '42'],
      },
    ]);
    const meta = await t.getJson<{ data: Record<string, unknown[]> }>(
      '/api/v1/metadata?metric=rw1_requests_total',
    );
    expect(meta.body.data).toEqual({
      rw1_requests_total: [{ type: 'counter', help: 'Requests.', unit: '' }],
    });
  });

  it('2.0 (chosen by Content-Type) answers 204 with the written-samples headers', async () => {
    const now = Date.now();
    const body = encodeRemoteWrite2({
      series: [series({ __name__: 'rw2_temperature', room: 'lab' }, [[now, 21.5]])],
    });
    const res = await remoteWrite('/api/v1/write', body, {
      'content-type': 'application/x-protobuf;proto=io.prometheus.write.v2.Request',
      'x-prometheus-remote-write-version': '2.0.0',
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('x-prometheus-remote-write-samples-written')).toBe('1');
    expect(await instant('rw2_temperature')).toEqual([
      { metric: { __name__: 'rw2_temperature', room: 'lab' }, value: [expect.any(Number), '21.5'] },
    ]);
  });

  it('is recognised on the Coroot-compatible /v1/metrics of the API port', async () => {
    const now = Date.now();
    const body = encodeRemoteWrite1({
      series: [series({ __name__: 'coroot_style_up', app: 'x' }, [[now, 1]])],
    });
    const res = await remoteWrite('/v1/metrics', body);
    expect(res.status).toBe(204);
    expect(await instant('coroot_style_up')).toHaveLength(1);
  });

  it('keeps the good series of a batch and answers 400 naming the bad one', async () => {
    const now = Date.now();
    const body = encodeRemoteWrite1({
      series: [
        series({ __name__: 'partial_good', job: 'a' }, [[now, 1]]),
        series({ __name__: 'partial bad name', job: 'a' }, [[now, 1]]),
        series({ __name__: 'partial_future', job: 'a' }, [[now + 86_400_000, 1]]),
      ],
    });
    const res = await remoteWrite('/api/v1/write', body);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('invalid metric name');
    expect(text).toContain('"partial bad name"');
    expect(text).toContain('in the future');
    expect(await instant('partial_good')).toHaveLength(1);
    expect(await instant('{__name__=~"partial_.*"}')).toHaveLength(1);
  });

  it('1.0: a series sent again is stored from its label bytes, and decoded in full when it must be', async () => {
    // The second and later requests of a series resolve it by the hash of its label bytes
    // (no labels decoded); a new day (the series row must be written again) and a sample the
    // rules refuse both need the labels, so they take the full path.
    const now = Date.now();
    const dayMs = 86_400_000;
    const labels = { __name__: 'rw1_known_total', job: 'api', instance: 'k:1' };
    const send = async (points: [number, number][]): Promise<Response> =>
      remoteWrite('/api/v1/write', encodeRemoteWrite1({ series: [series(labels, points)] }));
    expect((await send([[now - dayMs - 60_000, 1]])).status).toBe(204);
    await t.server.forceFlush();
    expect((await send([[now - 60_000, 2]])).status).toBe(204); // a new day for the series row
    await t.server.forceFlush();
    expect((await send([[now - 30_000, 3]])).status).toBe(204);
    await t.server.forceFlush();
    const start = Math.floor((now - 120_000) / 1000);
    const listed = await t.getJson<{ data: Record<string, string>[] }>(
      `/api/v1/series?match[]=rw1_known_total&start=${start}&end=${Math.ceil(now / 1000)}`,
    );
    expect(listed.body.data).toEqual([labels]);
    const tooOld = await send([
      [now - 30 * dayMs, 7],
      [now, 4],
    ]);
    expect(tooOld.status).toBe(400);
    const message = await tooOld.text();
    expect(message).toContain('older than the metrics retention');
    expect(message).toContain('rw1_known_total{instance="k:1",job="api"}');
    expect(await instant('rw1_known_total')).toEqual([{ metric: labels, value: [expect.any(Number), '4'] }]);
    const range = await t.getJson<{ data: { result: { values: [number, string][] }[] } }>(
      `/api/v1/query_range?query=rw1_known_total&start=${start}&end=${Math.floor(now / 1000)}&step=30`,
    );
    expect(new Set(range.body.data.result[0]!.values.map((v) => v[1]))).toEqual(new Set(['2', '3']));
  });

  it('treats a staleness marker as the end of the series', async () => {
    const now = Date.now();
    const body = encodeRemoteWrite1({
      series: [
        {
          ...series({ __name__: 'stale_gauge' }, [
            [now - 60_000, 5],
            [now - 30_000, NaN],
          ]),
          staleIndexes: [1],
        },
      ],
    });
    expect((await remoteWrite('/api/v1/write', body)).status).toBe(204);
    expect(await instant('stale_gauge', (now - 45_000) / 1000)).toHaveLength(1);
    expect(await instant('stale_gauge', now / 1000)).toEqual([]);
    expect(STALE_NAN_HIGH_WORD).toBe(0x7ff00000);
  });

  const refused: [string, () => Promise<Response>, number, string][] = [
    [
      'a missing API key',
      () => fetch(`${t.api}/api/v1/write`, { method: 'POST', body: compressSync(Buffer.alloc(1)) }),
      401,
      'X-API-Key',
    ],
    [
      'an unknown proto message',
      () =>
        remoteWrite('/api/v1/write', Buffer.alloc(0), {
          'content-type': 'application/x-protobuf;proto=foo.Bar',
        }),
      415,
      'unknown proto message',
    ],
    [
      'a body that is not snappy',
      () =>
        fetch(`${t.api}/api/v1/write`, {
          method: 'POST',
          headers: { ...headers, 'content-encoding': 'snappy', 'content-type': 'application/x-protobuf' },
          body: Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
        }),
      400,
      'snappy',
    ],
    [
      'a truncated protobuf',
      () =>
        remoteWrite(
          '/api/v1/write',
          encodeRemoteWrite1({ series: [series({ __name__: 'x' }, [[Date.now(), 1]])] }).subarray(0, 10),
        ),
      400,
      'exceeds the 8 bytes left at timeseries[0]',
    ],
    [
      'gzip instead of snappy',
      () =>
        fetch(`${t.api}/api/v1/write`, {
          method: 'POST',
          headers: { ...headers, 'content-encoding': 'gzip', 'content-type': 'application/x-protobuf' },
          body: Buffer.alloc(4),
        }),
      415,
      'Content-Encoding',
    ],
  ];
  it.each(refused)('refuses %s with a clear message', async (_what, send, status, text) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect((await res.text()).toLowerCase()).toContain(text.toLowerCase());
  });

  it('answers 400 for native histograms and keeps the float series of the same request', async () => {
    const now = Date.now();
    const body = encodeRemoteWrite1({
      series: [
        series({ __name__: 'nh_side_gauge' }, [[now, 3]]),
        { ...series({ __name__: 'nh_latency' }, []), histograms: [{ timestampMs: now, count: 1, sum: 0.5 }] },
      ],
    } as never);
    const res = await remoteWrite('/api/v1/write', body);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('native histograms are not supported');
    expect(await instant('nh_side_gauge')).toHaveLength(1);
  });
});

describe('OTLP metrics from the OpenTelemetry JS SDK', () => {
  const grpcMetadata = (): Metadata => {
    const m = new Metadata();
    m.set('x-api-key', TEST_API_KEY);
    return m;
  };
  const exporters: [string, (srv: TestServer) => PushMetricExporter][] = [
    [
      'OTLP/HTTP protobuf on :4318',
      (srv) => new ProtoMetricExporter({ url: `${srv.otlpHttp}/v1/metrics`, headers }),
    ],
    [
      'OTLP/HTTP JSON on :4318',
      (srv) => new JsonMetricExporter({ url: `${srv.otlpHttp}/v1/metrics`, headers }),
    ],
    [
      'OTLP/gRPC with gzip',
      (srv) =>
        new GrpcMetricExporter({
          url: srv.grpcTarget,
          metadata: grpcMetadata(),
          compression: 'gzip' as never,
        }),
    ],
    [
      'OTLP/HTTP protobuf on the API port :8080',
      (srv) => new ProtoMetricExporter({ url: `${srv.api}/v1/metrics`, headers }),
    ],
  ];
  let n = 0;
  it.each(exporters)(
    'are converted to Prometheus series and queryable when sent over %s',
    async (_name, make) => {
      const service = `billing${++n}`;
      const metrics = await recordMetrics(
        { 'service.name': service, 'service.instance.id': 'i-1' },
        (meter) => {
          meter.createCounter('http.server.requests', { unit: '{request}' }).add(5, { 'http.route': '/pay' });
          meter
            .createHistogram('http.server.duration', {
              unit: 's',
              advice: { explicitBucketBoundaries: [0.1, 1] },
            })
            .record(0.3);
        },
      );
      const exporter = make(t);
      await exportMetrics(exporter, metrics);
      await exporter.shutdown();
      const counter = await instant(`http_server_requests_total{job="${service}"}`);
      expect(counter).toEqual([
        {
          metric: expect.objectContaining({
            __name__: 'http_server_requests_total',
            job: service,
            instance: 'i-1',
            http_route: '/pay',
          }),
          value: [expect.any(Number), '5'],
        },
      ]);
      const buckets = await instant(`http_server_duration_seconds_bucket{job="${service}"}`);
      expect(Object.fromEntries(buckets.map((b) => [b.metric.le, b.value[1]]))).toEqual({
        '0.1': '0',
        '1': '1',
        '+Inf': '1',
      });
    },
  );

  it('rejects delta sums with partial success and keeps the rest of the request', async () => {
    const metrics = await recordMetrics(
      { 'service.name': 'delta-svc' },
      (meter) => {
        meter.createCounter('jobs.done').add(2);
        meter.createGauge('queue.depth').record(9);
      },
      'delta',
    );
    const { JsonMetricsSerializer } = (await import('@opentelemetry/otlp-transformer')) as unknown as {
      JsonMetricsSerializer: { serializeRequest(m: unknown): Uint8Array };
    };
    const res = await fetch(`${t.otlpHttp}/v1/metrics`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: Buffer.from(JsonMetricsSerializer.serializeRequest(metrics)),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      partialSuccess?: { rejectedDataPoints: string; errorMessage: string };
    };
    expect(body.partialSuccess?.rejectedDataPoints).toBe('1');
    expect(body.partialSuccess?.errorMessage).toContain('delta');
    expect(await instant('queue_depth{job="delta-svc"}')).toHaveLength(1);
  });
});

describe('metrics durability and backpressure', () => {
  it('keeps every acknowledged sample through a clean shutdown and restart on the same data directory', async () => {
    // chDB allows one data directory per process: share the suite's, in a database of our own.
    const db = { VIGIL_CLICKHOUSE_DATABASE: 'metrics_durable' };
    const first = await startTestServer({ ...db, VIGIL_BATCH_MAX_DELAY: '10s' }, t.dataDir);
    const now = Date.now();
    const body = encodeRemoteWrite1({
      series: Array.from({ length: 50 }, (_, i) =>
        series({ __name__: 'durable_gauge', idx: String(i) }, [[now, i]]),
      ),
    });
    const res = await fetch(`${first.api}/api/v1/write`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
      body: compressSync(body),
    });
    expect(res.status).toBe(204);
    // The 10 s batch delay means the samples are still in the buffer: shutdown must write them.
    await first.server.shutdown();
    const second = await startTestServer(db, t.dataDir);
    try {
      const r = await second.getJson<PromVector>(
        `/api/v1/query?query=${encodeURIComponent('count(durable_gauge)')}`,
      );
      expect(r.body.data.result[0]?.value[1]).toBe('50');
    } finally {
      await second.server.shutdown();
    }
  });

  it('answers 429 with Retry-After when the metrics buffer is full, and stores nothing of that request', async () => {
    const small = await startTestServer(
      {
        VIGIL_METRICS_BUFFER_MAX_SAMPLES: '10',
        VIGIL_METRICS_BATCH_MAX_SAMPLES: '10',
        VIGIL_METRICS_BATCH_MAX_DELAY: '10s',
        VIGIL_INGEST_WAIT: '0s',
        VIGIL_CLICKHOUSE_DATABASE: 'metrics_backpressure',
      },
      t.dataDir,
    );
    try {
      const now = Date.now();
      const send = (name: string, n: number) =>
        fetch(`${small.api}/api/v1/write`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
          body: compressSync(
            encodeRemoteWrite1({
              series: Array.from({ length: n }, (_, i) =>
                series({ __name__: name, i: String(i) }, [[now, i]]),
              ),
            }),
          ),
        });
      expect((await send('bp_first', 9)).status).toBe(204);
      const refused = await send('bp_second', 5);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(await refused.text()).toContain('write buffer is full');
      await small.server.forceFlush();
      const r = await small.getJson<PromVector>(
        `/api/v1/query?query=${encodeURIComponent('count({__name__=~"bp_.*"}) by (__name__)')}`,
      );
      expect(r.body.data.result.map((x) => [x.metric.__name__, x.value[1]])).toEqual([['bp_first', '9']]);
    } finally {
      await small.server.shutdown();
    }
  });
});

import { Metadata } from '@grpc/grpc-js';
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogView, TraceSummary, TraceView } from '@vigil/spec';
import { exportLogs, exportSpans, makeLogs, makeSpans } from './testing/otel-clients.ts';
import { startTestServer, TEST_API_KEY, type TestServer } from './testing/test-server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.stop();
});

const headers = { 'X-API-Key': TEST_API_KEY };
const grpcMetadata = (): Metadata => {
  const m = new Metadata();
  m.set('x-api-key', TEST_API_KEY);
  return m;
};

async function findTraces(service: string): Promise<TraceSummary[]> {
  await t.server.forceFlush();
  const res = await t.getJson<{ traces: TraceSummary[] }>(`/api/v1/traces?service=${service}&limit=1000`);
  expect(res.status).toBe(200);
  return res.body.traces;
}

async function findLogs(service: string): Promise<LogView[]> {
  await t.server.forceFlush();
  const res = await t.getJson<{ logs: LogView[] }>(`/api/v1/logs?service=${service}&limit=1000`);
  expect(res.status).toBe(200);
  return res.body.logs;
}

const traceExporters = {
  'OTLP/HTTP protobuf (exporter-trace-otlp-proto)': (srv: TestServer) =>
    new ProtoTraceExporter({ url: `${srv.otlpHttp}/v1/traces`, headers }),
  'OTLP/HTTP JSON (exporter-trace-otlp-http)': (srv: TestServer) =>
    new JsonTraceExporter({ url: `${srv.otlpHttp}/v1/traces`, headers }),
  'OTLP/gRPC with gzip (exporter-trace-otlp-grpc)': (srv: TestServer) =>
    new GrpcTraceExporter({ url: srv.grpcTarget, metadata: grpcMetadata(), compression: 'gzip' as never }),
  'OTLP/HTTP protobuf on the API port :8080 (Coroot-compatible path)': (srv: TestServer) =>
    new ProtoTraceExporter({ url: `${srv.api}/v1/traces`, headers }),
};

describe('traces from the OpenTelemetry JS SDK', () => {
  let n = 0;
  for (const [name, make] of Object.entries(traceExporters)) {
    it(`are stored and found again when sent over ${name}`, async () => {
      const service = `checkout-${++n}`;
      const spans = makeSpans(service, 3, { 'tenant.id': 'acme' });
      const exporter = make(t);
      await exportSpans(exporter, spans);
      await exporter.shutdown();

      const traces = await findTraces(service);
      expect(traces).toHaveLength(3);
      for (const summary of traces) {
        expect(summary.rootServiceName).toBe(service);
        expect(summary.rootSpanName).toBe('GET /checkout');
        expect(summary.spanCount).toBe(2);
        expect(summary.hasError).toBe(true);
      }
      const root = spans.find((s) => s.name === 'GET /checkout') as (typeof spans)[number];
      const rootTraceId = root.spanContext().traceId;
      const detail = await t.getJson<TraceView>(`/api/v1/traces/${rootTraceId}`);
      expect(detail.status).toBe(200);
      expect(detail.body.traceId).toBe(rootTraceId);
      const byName = new Map(detail.body.spans.map((s) => [s.name, s]));
      const server = byName.get('GET /checkout');
      const client = byName.get('SELECT orders');
      expect(server?.kind).toBe('Server');
      expect(server?.parentSpanId).toBe('');
      expect(server?.attributes['http.status_code']).toBe('200');
      expect(server?.attributes['tenant.id']).toBe('acme');
      expect(server?.resourceAttributes['deployment.environment']).toBe('test');
      const startNs = BigInt(root.startTime[0]) * 1_000_000_000n + BigInt(root.startTime[1]);
      expect(server?.startTimeUnixNano).toBe(startNs.toString());
      expect(client?.kind).toBe('Client');
      expect(client?.parentSpanId).toBe(root.spanContext().spanId);
      expect(client?.statusCode).toBe('Error');
      expect(client?.statusMessage).toBe('connection reset');
      expect(client?.attributes.retry).toBe('true');
      expect(client?.events[0]?.name).toBe('exception');
      expect(client?.events[0]?.attributes['exception.message']).toBe('connection reset by peer');
    });
  }

  it('are searchable by span name, duration, status and attribute', async () => {
    const service = 'search-svc';
    await exportSpans(
      new ProtoTraceExporter({ url: `${t.otlpHttp}/v1/traces`, headers }),
      makeSpans(service, 2, { 'tenant.id': 'globex' }),
    );
    const q = async (query: string) =>
      (await t.getJson<{ traces: TraceSummary[] }>(`/api/v1/traces?service=${service}&${query}`)).body.traces
        .length;
    await t.server.forceFlush();
    expect(await q('spanName=SELECT%20orders')).toBe(2);
    expect(await q('spanName=nope')).toBe(0);
    expect(await q('status=error')).toBe(2);
    expect(await q('attr.tenant.id=globex')).toBe(2);
    expect(await q('attr.tenant.id=acme')).toBe(0);
    expect(await q('minDurationMs=60000')).toBe(0);
    expect(await q('minDurationMs=0')).toBe(2);
  });
});

const logExporters = {
  'OTLP/HTTP protobuf (exporter-logs-otlp-proto)': (srv: TestServer) =>
    new ProtoLogExporter({ url: `${srv.otlpHttp}/v1/logs`, headers }),
  'OTLP/HTTP JSON (exporter-logs-otlp-http)': (srv: TestServer) =>
    new JsonLogExporter({ url: `${srv.otlpHttp}/v1/logs`, headers }),
  'OTLP/gRPC with gzip (exporter-logs-otlp-grpc)': (srv: TestServer) =>
    new GrpcLogExporter({ url: srv.grpcTarget, metadata: grpcMetadata(), compression: 'gzip' as never }),
};

describe('logs from the OpenTelemetry JS SDK', () => {
  let n = 0;
  for (const [name, make] of Object.entries(logExporters)) {
    it(`are stored and found again when sent over ${name}`, async () => {
      const service = `billing-${++n}`;
      const records = makeLogs(service, 4);
      const exporter = make(t);
      await exportLogs(exporter, records);
      await exporter.shutdown();
      const logs = await findLogs(service);
      expect(logs).toHaveLength(4);
      expect(new Set(logs.map((l) => l.body))).toEqual(
        new Set(['order 0 processed', 'order 1 processed', 'order 2 processed', 'order 3 processed']),
      );
      const first = logs.find((l) => l.body === 'order 1 processed');
      expect(first?.severityText).toBe('ERROR');
      expect(first?.severityNumber).toBe(17);
      expect(first?.attributes['order.id']).toBe('o-1');
      expect(first?.attributes.attempt).toBe('1');
      expect(first?.resourceAttributes['service.name']).toBe(service);
      const hr = records[1]?.hrTime as [number, number];
      expect(first?.timestampUnixNano).toBe((BigInt(hr[0]) * 1_000_000_000n + BigInt(hr[1])).toString());
      // newest first
      const times = logs.map((l) => BigInt(l.timestampUnixNano));
      expect([...times].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))).toEqual(times);
    });
  }

  it('match whole tokens case-insensitively, by severity, and count per bucket', async () => {
    const service = 'token-svc';
    const bodies = ['Payment FAILED for order 7', 'payment failure detected', 'all good'];
    await exportLogs(
      new ProtoLogExporter({ url: `${t.otlpHttp}/v1/logs`, headers }),
      makeLogs(service, 3, (i) => bodies[i] ?? ''),
    );
    await t.server.forceFlush();
    const search = async (q: string) =>
      (await t.getJson<{ logs: LogView[] }>(`/api/v1/logs?service=${service}&${q}`)).body.logs.map(
        (l) => l.body,
      );
    expect(await search('search=failed')).toEqual(['Payment FAILED for order 7']);
    expect(await search('search=fail')).toEqual([]);
    expect((await search('search=payment')).sort()).toEqual([
      'Payment FAILED for order 7',
      'payment failure detected',
    ]);
    expect(await search('severity=error')).toEqual(['payment failure detected']);
    const hist = await t.getJson<{ stepMs: number; buckets: Array<{ counts: Record<string, number> }> }>(
      `/api/v1/logs/histogram?service=${service}&step=60s`,
    );
    expect(hist.status).toBe(200);
    expect(hist.body.stepMs).toBe(60_000);
    const total = hist.body.buckets.reduce(
      (sum, b) => sum + Object.values(b.counts).reduce((a, c) => a + c, 0),
      0,
    );
    expect(total).toBe(3);
  });
});

describe('services', () => {
  it('lists services seen in traces and logs with their last-seen time', async () => {
    await exportSpans(
      new ProtoTraceExporter({ url: `${t.otlpHttp}/v1/traces`, headers }),
      makeSpans('both-svc', 1),
    );
    await exportLogs(
      new ProtoLogExporter({ url: `${t.otlpHttp}/v1/logs`, headers }),
      makeLogs('both-svc', 1),
    );
    await t.server.forceFlush();
    const res = await t.getJson<{ services: Array<{ name: string; lastSeenMs: number; signals: string[] }> }>(
      '/api/v1/services',
    );
    const svc = res.body.services.find((s) => s.name === 'both-svc');
    expect(svc?.signals.sort()).toEqual(['logs', 'traces']);
    expect(Math.abs((svc?.lastSeenMs ?? 0) - Date.now())).toBeLessThan(60_000);
  });
});

describe('log records without a time', () => {
  it('are stored at the time they were received', async () => {
    const before = Date.now();
    const body = JSON.stringify({
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'untimed-svc' } }] },
          scopeLogs: [{ logRecords: [{ body: { stringValue: 'no time at all' } }] }],
        },
      ],
    });
    const res = await fetch(`${t.otlpHttp}/v1/logs`, {
      method: 'POST',
      body,
      headers: { ...headers, 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
    const logs = await findLogs('untimed-svc');
    expect(logs.map((l) => l.body)).toEqual(['no time at all']);
    const storedMs = Number(BigInt(logs[0]?.timestampUnixNano ?? '0') / 1_000_000n);
    expect(storedMs).toBeGreaterThanOrEqual(before);
    expect(storedMs).toBeLessThanOrEqual(Date.now());
  });
});

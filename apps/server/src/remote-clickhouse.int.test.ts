/**
 * The whole server on a ClickHouse server (VIGIL_CLICKHOUSE_URL) instead of embedded chDB: the real
 * engine behind the HTTP interface emulator from @vigil/testkit, in a child process. Telemetry comes
 * from the real OpenTelemetry JS SDK exporters and is read back through the JSON API.
 */
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogView, TraceSummary, TraceView } from '@vigil/spec';
import { startClickHouseEmulator, type ClickHouseEmulator } from '@vigil/testkit';
import { exportLogs, exportSpans, makeLogs, makeSpans } from './testing/otel-clients.ts';
import { startTestServer, TEST_API_KEY, type TestServer } from './testing/test-server.ts';

const USER = 'vigil';
const PASSWORD = 'remote:p@ss';
// A database named in the URL path, as a deployment would write it; it does not exist yet.
const DATABASE = 'telemetry';
const headers = { 'X-API-Key': TEST_API_KEY };

let clickhouse: ClickHouseEmulator;
let t: TestServer;
beforeAll(async () => {
  clickhouse = await startClickHouseEmulator({ user: USER, password: PASSWORD });
  t = await startTestServer({ VIGIL_CLICKHOUSE_URL: `${clickhouse.urlWithCredentials()}/${DATABASE}` });
});
afterAll(async () => {
  await t?.stop();
  await clickhouse?.stop();
});

/** Asks the ClickHouse server directly, as an operator would with curl. */
async function clickhouseCount(table: string): Promise<number> {
  const res = await fetch(
    `${clickhouse.url}/?query=${encodeURIComponent(`SELECT count() FROM ${DATABASE}.${table}`)}`,
    {
      headers: { 'X-ClickHouse-User': USER, 'X-ClickHouse-Key': PASSWORD },
    },
  );
  expect(res.status).toBe(200);
  return Number((await res.text()).trim());
}

describe('Vigil on a ClickHouse server', () => {
  it('is ready once the database from the URL path is created and migrated', async () => {
    const ready = await fetch(`${t.api}/ready`);
    expect(ready.status).toBe(200);
    expect(await clickhouseCount('otel_traces')).toBe(0);
    expect(await clickhouseCount('otel_logs')).toBe(0);
  });

  it('stores spans from the OpenTelemetry SDK and serves them back', async () => {
    const spans = makeSpans('remote-checkout', 3, { 'tenant.id': "o'brien \\ \n 日本" });
    const exporter = new OTLPTraceExporter({ url: `${t.otlpHttp}/v1/traces`, headers });
    await exportSpans(exporter, spans);
    await exporter.shutdown();
    await t.server.forceFlush();
    expect(await clickhouseCount('otel_traces')).toBe(6);

    const list = await t.getJson<{ traces: TraceSummary[] }>(
      '/api/v1/traces?service=remote-checkout&limit=100',
    );
    expect(list.status).toBe(200);
    expect(list.body.traces).toHaveLength(3);
    expect(
      list.body.traces.every((s) => s.spanCount === 2 && s.hasError && s.rootSpanName === 'GET /checkout'),
    ).toBe(true);

    const root = spans.find((s) => s.name === 'GET /checkout');
    const traceId = root?.spanContext().traceId as string;
    const detail = await t.getJson<TraceView>(`/api/v1/traces/${traceId}`);
    expect(detail.status).toBe(200);
    const server = detail.body.spans.find((s) => s.name === 'GET /checkout');
    expect(server?.attributes['tenant.id']).toBe("o'brien \\ \n 日本");
    expect(server?.startTimeUnixNano).toBe(
      (BigInt(root!.startTime[0]) * 1_000_000_000n + BigInt(root!.startTime[1])).toString(),
    );
    const filtered = await t.getJson<{ traces: TraceSummary[] }>(
      `/api/v1/traces?service=remote-checkout&attr.tenant.id=${encodeURIComponent("o'brien \\ \n 日本")}`,
    );
    expect(filtered.body.traces).toHaveLength(3);
  });

  it('stores logs from the OpenTelemetry SDK and serves search, histogram and services', async () => {
    const bodies = ['Payment FAILED for order 7', 'payment failure detected', 'all good'];
    const exporter = new OTLPLogExporter({ url: `${t.otlpHttp}/v1/logs`, headers });
    await exportLogs(
      exporter,
      makeLogs('remote-billing', 3, (i) => bodies[i] ?? ''),
    );
    await exporter.shutdown();
    await t.server.forceFlush();
    expect(await clickhouseCount('otel_logs')).toBe(3);

    const search = async (q: string) =>
      (await t.getJson<{ logs: LogView[] }>(`/api/v1/logs?service=remote-billing&${q}`)).body.logs.map(
        (l) => l.body,
      );
    expect(await search('search=failed')).toEqual(['Payment FAILED for order 7']);
    expect(await search('severity=error')).toEqual(['payment failure detected']);
    const hist = await t.getJson<{ buckets: Array<{ counts: Record<string, number> }> }>(
      '/api/v1/logs/histogram?service=remote-billing&step=60s',
    );
    const total = hist.body.buckets.reduce(
      (sum, b) => sum + Object.values(b.counts).reduce((a, c) => a + c, 0),
      0,
    );
    expect(total).toBe(3);
    const services = await t.getJson<{ services: Array<{ name: string; signals: string[] }> }>(
      '/api/v1/services',
    );
    expect(services.body.services.find((s) => s.name === 'remote-billing')?.signals).toEqual(['logs']);
    expect(services.body.services.find((s) => s.name === 'remote-checkout')?.signals).toEqual(['traces']);
  });

  it('reports not ready, and reads as unavailable, once ClickHouse is gone', async () => {
    await clickhouse.kill();
    const ready = await fetch(`${t.api}/ready`);
    expect(ready.status).toBe(503);
    const read = await t.getJson('/api/v1/traces?service=remote-checkout');
    expect(read.status).toBe(503);
  });
});

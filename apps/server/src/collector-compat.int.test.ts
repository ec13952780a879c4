import { gzipSync } from 'node:zlib';
import { ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogView, TraceSummary } from '@vigil/spec';
import { makeLogs, makeSpans } from './testing/otel-clients.ts';
import { startTestServer, TEST_API_KEY, type TestServer } from './testing/test-server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.stop();
});

/**
 * The OpenTelemetry Collector's `otlphttp` exporter (docs/collector.md) sends protobuf bodies,
 * gzip-compressed by default, with the configured headers and its own User-Agent. These requests
 * reproduce that on the wire, to both the OTLP port and Vigil's :8080 ingestion paths.
 */
function collectorRequest(body: Uint8Array): RequestInit {
  return {
    method: 'POST',
    body: gzipSync(body),
    headers: {
      'Content-Type': 'application/x-protobuf',
      'Content-Encoding': 'gzip',
      'User-Agent': 'OpenTelemetry Collector Contrib/0.139.0 (linux/amd64)',
      'X-API-Key': TEST_API_KEY,
    },
  };
}

describe('an OpenTelemetry Collector otlphttp exporter pointed at Vigil', () => {
  for (const base of ['otlpHttp', 'api'] as const) {
    it(`delivers gzip protobuf traces and logs to ${base === 'api' ? ':8080' : ':4318'}`, async () => {
      const service = `via-collector-${base}`;
      const traces = await fetch(
        `${t[base]}/v1/traces`,
        collectorRequest(ProtobufTraceSerializer.serializeRequest(makeSpans(service, 2)) as Uint8Array),
      );
      expect(traces.status).toBe(200);
      expect(traces.headers.get('content-type')).toMatch(/application\/x-protobuf/);
      const logs = await fetch(
        `${t[base]}/v1/logs`,
        collectorRequest(ProtobufLogsSerializer.serializeRequest(makeLogs(service, 3)) as Uint8Array),
      );
      expect(logs.status).toBe(200);
      await t.server.forceFlush();
      const foundTraces = await t.getJson<{ traces: TraceSummary[] }>(`/api/v1/traces?service=${service}`);
      expect(foundTraces.body.traces).toHaveLength(2);
      const foundLogs = await t.getJson<{ logs: LogView[] }>(`/api/v1/logs?service=${service}`);
      expect(foundLogs.body.logs).toHaveLength(3);
    });
  }
});

import { gzipSync } from 'node:zlib';
import { Client, Metadata, credentials, status as GrpcStatus } from '@grpc/grpc-js';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceSeen, TraceView } from '@vigil/spec';
import { ProtoWriter } from '@vigil/testkit';
import { makeSpans } from './testing/otel-clients.ts';
import { startTestServer, TEST_API_KEY, type TestServer } from './testing/test-server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ VIGIL_MAX_REQUEST_SIZE: '256KiB', VIGIL_MAX_DECOMPRESSED_SIZE: '1MiB' });
});
afterAll(async () => {
  await t?.stop();
});

interface Reply {
  status: number;
  text: string;
  headers: Headers;
}

async function post(
  path: string,
  body: Uint8Array | string,
  headers: Record<string, string>,
): Promise<Reply> {
  const res = await fetch(`${t.otlpHttp}${path}`, {
    method: 'POST',
    body,
    headers: { 'X-API-Key': TEST_API_KEY, ...headers },
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

const PROTO = { 'content-type': 'application/x-protobuf' };
const JSON_CT = { 'content-type': 'application/json' };

function jsonBody(service: string): Record<string, unknown> {
  const bytes = JsonTraceSerializer.serializeRequest(makeSpans(service, 2)) as Uint8Array;
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
}

/** Rewrites every span of an OTLP/JSON body. */
function mapSpans(
  body: Record<string, unknown>,
  f: (span: Record<string, unknown>, index: number) => void,
): string {
  let i = 0;
  for (const rs of body.resourceSpans as Array<{
    scopeSpans: Array<{ spans: Array<Record<string, unknown>> }>;
  }>) {
    for (const ss of rs.scopeSpans) for (const span of ss.spans) f(span, i++);
  }
  return JSON.stringify(body);
}

describe('bad OTLP/HTTP input gets a 4xx that says what was wrong, and nothing of it is stored', () => {
  const cases: Array<{ name: string; send: () => Promise<Reply>; status: number; message: RegExp }> = [
    {
      name: 'malformed protobuf',
      send: () => post('/v1/traces', Buffer.from([0x0a, 0xff, 0xff, 0x01]), PROTO),
      status: 400,
      message: /truncat|malformed|invalid|length/i,
    },
    {
      name: 'protobuf with a wire-type error',
      send: () => post('/v1/logs', Buffer.from([0x0f, 0x01]), PROTO),
      status: 400,
      message: /wire type|malformed|invalid/i,
    },
    {
      name: 'malformed JSON',
      send: () => post('/v1/traces', '{"resourceSpans": [', JSON_CT),
      status: 400,
      message: /JSON/,
    },
    {
      name: 'JSON of the wrong shape',
      send: () => post('/v1/logs', '{"resourceLogs": 5}', JSON_CT),
      status: 400,
      message: /resourceLogs/,
    },
    {
      name: 'an unsupported content type',
      send: () => post('/v1/traces', 'hello', { 'content-type': 'text/plain' }),
      status: 415,
      message: /application\/x-protobuf or application\/json/,
    },
    {
      name: 'an unsupported content encoding',
      send: () => post('/v1/traces', 'x', { ...PROTO, 'content-encoding': 'br' }),
      status: 415,
      message: /Content-Encoding "br"/,
    },
    {
      name: 'a body that is not gzip',
      send: () => post('/v1/traces', 'not gzip at all', { ...PROTO, 'content-encoding': 'gzip' }),
      status: 400,
      message: /not valid gzip/,
    },
    {
      name: 'a body over the size limit',
      send: () => post('/v1/traces', Buffer.alloc(300 * 1024, 1), PROTO),
      status: 413,
      message: /large|limit|exceed/i,
    },
    {
      name: 'a gzip body that expands past the limit',
      send: () =>
        post('/v1/traces', gzipSync(Buffer.alloc(8 * 1024 * 1024)), { ...PROTO, 'content-encoding': 'gzip' }),
      status: 413,
      message: /after gzip decompression/,
    },
    {
      name: 'a trace id of the wrong length',
      send: () =>
        post(
          '/v1/traces',
          mapSpans(jsonBody('bad-short-id'), (s, i) => {
            if (i === 1) s.traceId = 'abcd';
          }),
          JSON_CT,
        ),
      status: 400,
      message: /traceId/,
    },
    {
      name: 'an all-zero trace id',
      send: () =>
        post(
          '/v1/traces',
          mapSpans(jsonBody('bad-zero-id'), (s, i) => {
            if (i === 1) s.traceId = '0'.repeat(32);
          }),
          JSON_CT,
        ),
      status: 400,
      message: /traceId/,
    },
    {
      name: 'a span id that is not hex',
      send: () =>
        post(
          '/v1/traces',
          mapSpans(jsonBody('bad-span-id'), (s, i) => {
            if (i === 0) s.spanId = 'zzzzzzzzzzzzzzzz';
          }),
          JSON_CT,
        ),
      status: 400,
      message: /spanId/,
    },
    {
      name: 'a timestamp far in the future',
      send: () => {
        const future = ((BigInt(Date.now()) + 2n * 86_400_000n) * 1_000_000n).toString();
        return post(
          '/v1/traces',
          mapSpans(jsonBody('bad-future'), (s, i) => {
            if (i === 1) {
              s.startTimeUnixNano = future;
              s.endTimeUnixNano = future;
            }
          }),
          JSON_CT,
        );
      },
      status: 400,
      message: /in the future/,
    },
    {
      name: 'no API key',
      send: async () => {
        const r = await fetch(`${t.otlpHttp}/v1/traces`, { method: 'POST', body: '{}', headers: JSON_CT });
        return { status: r.status, text: await r.text(), headers: r.headers };
      },
      status: 401,
      message: /X-API-Key/,
    },
    {
      name: 'an unknown API key',
      send: () =>
        post('/v1/traces', JSON.stringify(jsonBody('bad-key')), { ...JSON_CT, 'X-API-Key': 'vk_wrong' }),
      status: 401,
      message: /unknown API key in X-API-Key/,
    },
  ];

  for (const c of cases) {
    it(`answers ${c.status} to ${c.name}`, async () => {
      const reply = await c.send();
      expect(reply.status).toBe(c.status);
      expect(reply.text).toMatch(c.message);
    });
  }

  it('encodes the error as an OTLP Status in the request encoding', async () => {
    const reply = await post('/v1/traces', '{"resourceSpans": [', JSON_CT);
    const status = JSON.parse(reply.text) as { code: number; message: string };
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/JSON/);
  });

  it('stored nothing from the rejected requests and keeps serving valid ones', async () => {
    const ok = await post(
      '/v1/traces',
      ProtobufTraceSerializer.serializeRequest(makeSpans('good-after-bad', 1)) as Uint8Array,
      PROTO,
    );
    expect(ok.status).toBe(200);
    await t.server.forceFlush();
    const res = await t.getJson<{ services: ServiceSeen[] }>('/api/v1/services');
    const names = res.body.services.map((s) => s.name);
    expect(names).toContain('good-after-bad');
    expect(names.filter((n) => n.startsWith('bad-'))).toEqual([]);
  });

  it('counts rejected items by reason in /metrics', async () => {
    const text = await (await fetch(`${t.api}/metrics`)).text();
    expect(text).toMatch(/vigil_ingest_rejected_items_total\{signal="traces",reason="malformed"\} [1-9]/);
    expect(text).toMatch(
      /vigil_ingest_rejected_items_total\{signal="traces",reason="future_timestamp"\} [1-9]/,
    );
  });
});

describe('odd but valid protobuf', () => {
  it('stores a span the column decoder cannot read but the record decoder can, and counts the rescue', async () => {
    // trace_id sent twice, empty first: protobuf's last-one-wins makes the span valid, while the
    // column decoder refuses the empty id on sight. The record decoder takes over.
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    const w = new ProtoWriter();
    w.fork(1); // ResourceSpans
    w.fork(1); // Resource
    w.fork(1);
    w.string(1, 'service.name');
    w.fork(2);
    w.string(1, 'rescued-service');
    w.join();
    w.join();
    w.join();
    w.fork(2); // ScopeSpans
    w.fork(2); // Span
    w.bytes(1, new Uint8Array(0));
    w.hexBytes(1, traceId);
    w.hexBytes(2, '00f067aa0ba902b7');
    w.string(5, 'GET /rescued');
    w.fixed64(7, nowNs);
    w.fixed64(8, nowNs + 1_000_000n);
    w.join();
    w.join();
    w.join();
    const reply = await post('/v1/traces', w.finish(), PROTO);
    expect(reply.status).toBe(200);
    await t.server.forceFlush();
    const trace = await t.getJson<TraceView>(`/api/v1/traces/${traceId}`);
    expect(trace.body.spans.map((s) => [s.serviceName, s.name])).toEqual([
      ['rescued-service', 'GET /rescued'],
    ]);
    const metrics = await (await fetch(`${t.api}/metrics`)).text();
    expect(metrics).toMatch(/vigil_ingest_decoder_rescues_total\{signal="traces"\} 1\b/);
  });
});

describe('bad OTLP/gRPC input', () => {
  const call = (path: string, body: Buffer, key?: string) =>
    new Promise<{ code: number; details: string }>((resolve) => {
      const client = new Client(t.grpcTarget.replace('http://', ''), credentials.createInsecure());
      const md = new Metadata();
      if (key) md.set('x-api-key', key);
      client.makeUnaryRequest(
        path,
        (b: Buffer) => b,
        (b: Buffer) => b,
        body,
        md,
        (err) => {
          client.close();
          resolve({ code: err?.code ?? GrpcStatus.OK, details: err?.details ?? '' });
        },
      );
    });
  const TRACES = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

  it('answers UNAUTHENTICATED naming the metadata key when the key is missing', async () => {
    const r = await call(TRACES, Buffer.alloc(0));
    expect(r.code).toBe(GrpcStatus.UNAUTHENTICATED);
    expect(r.details).toMatch(/x-api-key/);
  });

  it('answers INVALID_ARGUMENT to a malformed message', async () => {
    const r = await call(TRACES, Buffer.from([0x0a, 0xff, 0xff, 0x01]), TEST_API_KEY);
    expect(r.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(r.details.length).toBeGreaterThan(0);
  });

  it('accepts a valid message sent raw', async () => {
    const body = Buffer.from(
      ProtobufTraceSerializer.serializeRequest(makeSpans('grpc-raw', 1)) as Uint8Array,
    );
    expect((await call(TRACES, body, TEST_API_KEY)).code).toBe(GrpcStatus.OK);
  });
});

import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceSummary } from '@vigil/spec';
import { makeSpans } from './testing/otel-clients.ts';
import { startTestServer, TEST_API_KEY, type TestServer } from './testing/test-server.ts';

// A buffer of 30 records that only drains every 3 s: the second request of 20 finds it full.
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    VIGIL_BUFFER_MAX_ITEMS: '30',
    VIGIL_BATCH_MAX_ITEMS: '1000',
    VIGIL_BATCH_MAX_DELAY: '3s',
  });
});
afterAll(async () => {
  await t?.stop();
});

const send = (service: string, traces: number) =>
  fetch(`${t.otlpHttp}/v1/traces`, {
    method: 'POST',
    body: ProtobufTraceSerializer.serializeRequest(makeSpans(service, traces)) as Uint8Array,
    headers: { 'content-type': 'application/x-protobuf', 'X-API-Key': TEST_API_KEY },
  });

describe('backpressure', () => {
  it('answers 429 with Retry-After when the write buffer is full, and accepts again once it drained', async () => {
    expect((await send('bp-first', 10)).status).toBe(200); // 20 spans buffered
    const refused = await send('bp-refused', 10);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.text()).toMatch(/write buffer is full/);
    await t.server.forceFlush();
    expect((await send('bp-later', 10)).status).toBe(200);
    await t.server.forceFlush();
    const names = async (service: string) =>
      (await t.getJson<{ traces: TraceSummary[] }>(`/api/v1/traces?service=${service}`)).body.traces.length;
    expect(await names('bp-first')).toBe(10);
    expect(await names('bp-refused')).toBe(0);
    expect(await names('bp-later')).toBe(10);
  });

  it('answers 413 to a request larger than the whole buffer, which no retry could fix', async () => {
    const res = await send('bp-huge', 20);
    expect(res.status).toBe(413);
    expect(await res.text()).toMatch(/split it/);
  });
});

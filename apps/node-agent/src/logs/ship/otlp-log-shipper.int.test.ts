/**
 * The log shipper against a real Vigil server (in-process, embedded chDB): records queued while
 * no server listens, or while the server refuses the API key, stay in the spool across a clean
 * stop and are delivered by the next shipper on that spool.
 */
import { createServer } from 'node:net';
import type { LogView } from '@vigil/spec';
import { openDiskSpool } from '@vigil/agent-kit';
import { silentLogger } from '@vigil/core';
import { makeTempDir } from '@vigil/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGEST_KEY, startVigilServer, type VigilServer } from '../testing/vigil-server.ts';
import { OtlpLogShipper } from './otlp-log-shipper.ts';

let server: VigilServer;
const tmp = makeTempDir('vigil-log-shipper-');

beforeAll(async () => {
  server = await startVigilServer();
});
afterAll(async () => {
  await server?.stop();
  tmp.cleanup();
});

/** A loopback port nothing listens on. */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as { port: number };
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function shipper(dir: string, collectorUrl: string, apiKey: string): Promise<OtlpLogShipper> {
  return new OtlpLogShipper({
    collectorUrl,
    apiKey,
    spool: await openDiskSpool(dir),
    logger: silentLogger,
    version: 'test',
    backoff: { initialMs: 100, maxMs: 200 },
    resourceOf: (id) => ({ 'service.name': id, 'container.id': id, 'host.name': 'test-host' }),
  });
}

const record = (body: string, i: number) => ({
  timeUnixNano: BigInt(Date.now() - 1000 + i) * 1_000_000n,
  severityNumber: 17,
  severityText: 'error',
  body,
  attributes: { 'pattern.hash': '0123456789abcdef' },
});

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stored(service: string): Promise<LogView[]> {
  await server.server.forceFlush();
  return (await server.getJson<{ logs: LogView[] }>(`/api/v1/logs?service=${encodeURIComponent(service)}`))
    .logs;
}

describe('OtlpLogShipper with a real server', () => {
  it('keeps records spooled while no server listens and delivers them from the next process', async () => {
    const dir = `${tmp.dir}/outage`;
    const first = await shipper(dir, `http://127.0.0.1:${await deadPort()}`, INGEST_KEY);
    ['disk full on /data', 'disk full on /logs', 'disk full on /tmp'].forEach((b, i) =>
      first.add('/docker/outage', record(b, i)),
    );
    await first.flush();
    await until('a failed attempt', () => first.stats().consecutiveFailures >= 1);
    await first.stop();
    expect(first.stats()).toMatchObject({ sentRecords: 0, queuedSegments: 1 });
    expect(first.stats().lastError).toMatch(/ECONNREFUSED/);

    const second = await shipper(dir, server.url, INGEST_KEY);
    await until('the spooled records', () => second.stats().queuedSegments === 0);
    await second.stop();
    expect(second.stats()).toMatchObject({ sentRecords: 3, sentRequests: 1 });
    const logs = await stored('/docker/outage');
    expect(logs.map((l) => l.body).sort()).toEqual([
      'disk full on /data',
      'disk full on /logs',
      'disk full on /tmp',
    ]);
    expect(logs[0]).toMatchObject({
      severityText: 'error',
      severityNumber: 17,
      attributes: { 'pattern.hash': '0123456789abcdef' },
      resourceAttributes: { 'container.id': '/docker/outage', 'host.name': 'test-host' },
    });
  });

  it('keeps records the server refuses for a wrong API key until a right key sends them', async () => {
    const dir = `${tmp.dir}/unauthorized`;
    const wrong = await shipper(dir, server.url, 'vk_wrong_key_0123456789');
    wrong.add('/docker/auth', record('token expired for user 7', 0));
    await wrong.flush();
    await until('a refused attempt', () => wrong.stats().consecutiveFailures >= 1);
    await wrong.stop();
    expect(wrong.stats()).toMatchObject({ sentRecords: 0, queuedSegments: 1 });
    expect(wrong.stats().lastError).toMatch(/^401/);
    expect(await stored('/docker/auth')).toHaveLength(0);

    const right = await shipper(dir, server.url, INGEST_KEY);
    await until('the spooled record', () => right.stats().queuedSegments === 0);
    await right.stop();
    expect((await stored('/docker/auth')).map((l) => l.body)).toEqual(['token expired for user 7']);
  });
});

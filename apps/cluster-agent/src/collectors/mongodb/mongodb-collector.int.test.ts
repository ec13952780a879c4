/**
 * The MongoDB collector's failure paths against real sockets, and a real server only where
 * VIGIL_TEST_MONGODB_URL names one: no MongoDB can be installed on the machines Vigil is built
 * on, so that part is skipped there (with the reason printed), even when services are required.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '@vigil/testkit';
import type { Collection } from '../collector.ts';
import { createMongoCollector } from './mongodb-collector.ts';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const up = (c: Collection) => c.families.find((f) => f.name === 'mongo_up')?.samples[0]?.value;

describe('the MongoDB collector when the server is not there', () => {
  it('reports a closed port as down with the connection error', async () => {
    const port = await freeLoopbackPort();
    const c = createMongoCollector({ type: 'mongodb', host: '127.0.0.1', port }, { timeoutMs: 1_000 });
    cleanup.push(() => c.close());
    const r = await c.collect(AbortSignal.timeout(5_000));
    expect(up(r)).toBe(0);
    expect(r.error).toMatch(new RegExp(`ECONNREFUSED 127\\.0\\.0\\.1:${port}`));
  });

  it('gives up at the deadline when the endpoint accepts but never answers', async () => {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((s) => sockets.add(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    });
    const port = (server.address() as net.AddressInfo).port;
    // Timeouts far beyond the deadline: only the deadline can end this round.
    const c = createMongoCollector({ type: 'mongodb', host: '127.0.0.1', port }, { timeoutMs: 60_000 });
    cleanup.push(() => c.close());
    const r = await c.collect(AbortSignal.timeout(300));
    expect(up(r)).toBe(0);
    expect(r.error).toBe(`no answer from mongodb at 127.0.0.1:${port} before the deadline`);
  });
});

const url = process.env.VIGIL_TEST_MONGODB_URL;
if (!url)
  process.stdout.write(
    '[skip] MongoDB against a real server: set VIGIL_TEST_MONGODB_URL (none can be installed on this machine)\n',
  );

describe.runIf(url)('the MongoDB collector against VIGIL_TEST_MONGODB_URL', () => {
  it('reports the server up with its version and database sizes', async () => {
    const u = new URL(url!);
    const c = createMongoCollector({
      type: 'mongodb',
      host: u.hostname,
      port: Number(u.port || 27017),
      credentials: { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) },
    });
    cleanup.push(() => c.close());
    const r = await c.collect(AbortSignal.timeout(10_000));
    expect(r.error).toBeUndefined();
    expect(up(r)).toBe(1);
    const info = r.families.find((f) => f.name === 'mongo_info')!.samples[0]!;
    expect(info.labels.server_version).toMatch(/^\d+\.\d+/);
    const dbs = r.families
      .find((f) => f.name === 'mongo_database_size_bytes')!
      .samples.map((s) => s.labels.db);
    expect(dbs).toContain('admin');
  });
});

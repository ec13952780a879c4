import net from 'node:net';
import { Redis } from 'ioredis';
import type { MetricFamily } from '@vigil/agent-kit';
import { canConnect, freeLoopbackPort, serviceGate } from '@vigil/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { Collection, Collector } from '../collector.ts';
import type { Target } from '../target.ts';
import { createRedisCollector } from './redis-collector.ts';
import { redisServerInstalled, startPrivateRedis, type PrivateRedis } from './testing/private-redis.ts';

const sharedAvailable = serviceGate(
  'Redis at 127.0.0.1:6379',
  await canConnect('127.0.0.1', 6379),
  'start the redis-server service',
);
const binaryAvailable = serviceGate('redis-server', redisServerInstalled(), 'apt-get install redis-server');

const DEADLINE_MS = 5_000;
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function collector(port: number, extra: Partial<Target> = {}): Collector {
  const c = createRedisCollector({ type: 'redis', host: '127.0.0.1', port, ...extra });
  cleanup.push(() => c.close());
  return c;
}

function client(port: number, password?: string): Redis {
  const r = new Redis({ host: '127.0.0.1', port, password, lazyConnect: true, maxRetriesPerRequest: 0 });
  cleanup.push(async () => r.disconnect());
  return r;
}

async function privateRedis(args: string[] = [], port?: number): Promise<PrivateRedis> {
  const server = await startPrivateRedis(args, port);
  cleanup.push(() => server.stop());
  return server;
}

function valueOf(c: Collection, name: string, labels: Record<string, string> = {}): number | undefined {
  const family: MetricFamily | undefined = c.families.find((f) => f.name === name);
  return family?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

const collect = (c: Collector, deadlineMs = DEADLINE_MS): Promise<Collection> =>
  c.collect(AbortSignal.timeout(deadlineMs));

async function setKeys(r: Redis, prefix: string, count: number, ttlEvery = 0): Promise<void> {
  const batch = r.pipeline();
  for (let i = 0; i < count; i++) {
    if (ttlEvery > 0 && i % ttlEvery === 0) batch.set(`${prefix}${i}`, 'v', 'EX', 600);
    else batch.set(`${prefix}${i}`, 'v');
  }
  await batch.exec();
}

describe.skipIf(!sharedAvailable)('the Redis collector against the shared server', () => {
  it('counts at least the SETs a test issued between two collections', async () => {
    const c = collector(6379);
    const load = client(6379);
    const prefix = `vigil-test:redis-collector:${process.pid}:${Date.now()}:`;
    const count = 50;
    const before = await collect(c);
    expect(before.error).toBeUndefined();
    await setKeys(load, prefix, count);
    cleanup.push(() => load.del(...Array.from({ length: count }, (_, i) => `${prefix}${i}`)));
    const after = await collect(c);

    expect(after.error).toBeUndefined();
    expect(valueOf(after, 'redis_up', { address: '127.0.0.1:6379' })).toBe(1);
    expect(valueOf(after, 'redis_instance_info', { role: 'master' })).toBe(1);
    const setsBefore = valueOf(before, 'redis_commands_total', { cmd: 'set' }) ?? 0;
    expect(valueOf(after, 'redis_commands_total', { cmd: 'set' })).toBeGreaterThanOrEqual(setsBefore + count);
    const secondsBefore = valueOf(before, 'redis_commands_duration_seconds_total', { cmd: 'set' }) ?? 0;
    expect(valueOf(after, 'redis_commands_duration_seconds_total', { cmd: 'set' })).toBeGreaterThan(
      secondsBefore,
    );
    expect(valueOf(after, 'redis_connected_clients')).toBeGreaterThanOrEqual(2);
    expect(valueOf(after, 'redis_memory_used_bytes')).toBeGreaterThan(0);
  });
});

describe.skipIf(!binaryAvailable)('the Redis collector against a private server', () => {
  it('reports exact command and keyspace counts and keeps one connection', async () => {
    const server = await privateRedis();
    const c = collector(server.port, { params: { db: '3' } });
    const admin = client(server.port);
    const before = await collect(c);
    await admin.select(3);
    await setKeys(admin, 'k', 30, 3);
    await collect(c);
    const after = await collect(c);

    expect(after.error).toBeUndefined();
    const setsBefore = valueOf(before, 'redis_commands_total', { cmd: 'set' }) ?? 0;
    expect(valueOf(after, 'redis_commands_total', { cmd: 'set' })).toBe(setsBefore + 30);
    expect(valueOf(after, 'redis_keyspace_keys', { db: 'db3' })).toBe(30);
    expect(valueOf(after, 'redis_keyspace_expires', { db: 'db3' })).toBe(10);
    expect(valueOf(after, 'redis_evicted_keys_total')).toBe(0);
    expect(valueOf(after, 'redis_connected_slaves')).toBe(0);
    const clients = (await admin.client('LIST')) as string;
    expect(clients.split('\n').filter((line) => line.includes('name=vigil-cluster-agent'))).toHaveLength(1);
    expect(clients).toMatch(/name=vigil-cluster-agent .*db=3/);
  });

  it('reports the authentication failure for a wrong or missing password and collects with the right one', async () => {
    const server = await privateRedis(['--requirepass', 'secret']);
    const wrong = await collect(collector(server.port, { credentials: { password: 'wrong' } }));
    expect(valueOf(wrong, 'redis_up')).toBe(0);
    expect(wrong.error).toMatch(/WRONGPASS/);

    const missing = await collect(collector(server.port));
    expect(valueOf(missing, 'redis_up')).toBe(0);
    expect(missing.error).toMatch(/NOAUTH/);

    const right = collector(server.port, { credentials: { username: 'default', password: 'secret' } });
    const ok = await collect(right);
    expect(ok.error).toBeUndefined();
    expect(valueOf(ok, 'redis_up')).toBe(1);
  });

  it('reports ECONNREFUSED once the server is gone and collects again after it is back', async () => {
    const first = await startPrivateRedis();
    const c = collector(first.port);
    expect((await collect(c)).error).toBeUndefined();
    await first.stop();

    // The first round may still find the dying socket; by the next one it reconnects and is refused.
    const down = await collect(c);
    expect(valueOf(down, 'redis_up')).toBe(0);
    expect(down.error).toMatch(/ECONNREFUSED|ECONNRESET|Connection is closed|Stream isn't writeable/);
    const refused = await collect(c);
    expect(valueOf(refused, 'redis_up')).toBe(0);
    expect(refused.error).toBe(`connect ECONNREFUSED 127.0.0.1:${first.port}`);

    await privateRedis([], first.port);
    const back = await collect(c);
    expect(back.error).toBeUndefined();
    expect(valueOf(back, 'redis_up')).toBe(1);
  });

  it('closes its connection on close()', async () => {
    const server = await privateRedis();
    const admin = client(server.port);
    const c = createRedisCollector({ type: 'redis', host: '127.0.0.1', port: server.port });
    expect((await collect(c)).error).toBeUndefined();
    await c.close();
    while (((await admin.client('LIST')) as string).includes('name=vigil-cluster-agent')) {
      await new Promise((r) => setTimeout(r, 20));
    }
  });
});

describe('the Redis collector without a usable server', () => {
  it('reports ECONNREFUSED for a port nobody listens on', async () => {
    const port = await freeLoopbackPort();
    const result = await collect(collector(port));
    expect(valueOf(result, 'redis_up', { address: `127.0.0.1:${port}` })).toBe(0);
    expect(result.error).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('gives up at the deadline when the endpoint accepts but never answers', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanup.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });
    const port = (silent.address() as net.AddressInfo).port;
    // Timeouts far beyond the deadline: only the AbortSignal can end this round early.
    const c = createRedisCollector(
      { type: 'redis', host: '127.0.0.1', port },
      { connectTimeoutMs: 60_000, commandTimeoutMs: 60_000 },
    );
    cleanup.push(() => c.close());

    const startedMs = Date.now();
    const result = await collect(c, 300);
    expect(Date.now() - startedMs).toBeLessThan(5_000);
    expect(valueOf(result, 'redis_up')).toBe(0);
    expect(result.error).toMatch(/^no answer from redis at 127\.0\.0\.1:\d+ before the deadline/);
    expect(sockets.size).toBe(1);
  });

  it('reports an invalid params.db without connecting', async () => {
    const result = await collect(collector(1, { params: { db: 'two' } }));
    expect(valueOf(result, 'redis_up')).toBe(0);
    expect(result.error).toMatch(/invalid redis params\.db "two"/);
  });
});

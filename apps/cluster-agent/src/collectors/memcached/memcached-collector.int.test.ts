import net from 'node:net';
import type { MetricFamily } from '@vigil/agent-kit';
import { canConnect, freeLoopbackPort, serviceGate } from '@vigil/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { Collection, Collector } from '../collector.ts';
import { createMemcachedCollector } from './memcached-collector.ts';
import { parseStats, statNumber } from './memcached-stats.ts';
import { runCommands, setCommand } from './testing/memcached-load.ts';
import {
  memcachedInstalled,
  startPrivateMemcached,
  type PrivateMemcached,
} from './testing/private-memcached.ts';

const sharedAvailable = serviceGate(
  'memcached at 127.0.0.1:11211',
  await canConnect('127.0.0.1', 11211),
  'start the memcached service',
);
const binaryAvailable = serviceGate('memcached', memcachedInstalled(), 'apt-get install memcached');

const DEADLINE_MS = 5_000;
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function collector(port: number): Collector {
  const c = createMemcachedCollector({ type: 'memcached', host: '127.0.0.1', port });
  cleanup.push(() => c.close());
  return c;
}

async function privateMemcached(port?: number): Promise<PrivateMemcached> {
  const server = await startPrivateMemcached([], port);
  cleanup.push(() => server.stop());
  return server;
}

/** A TCP server that answers every connection with `reply` (or never, when undefined). */
async function fakeServer(reply?: string): Promise<{ port: number; connections: () => number }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    if (reply !== undefined) socket.on('data', () => socket.write(reply));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return { port: (server.address() as net.AddressInfo).port, connections: () => sockets.size };
}

function valueOf(c: Collection, name: string, labels: Record<string, string> = {}): number | undefined {
  const family: MetricFamily | undefined = c.families.find((f) => f.name === name);
  return family?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

const commands = (c: Collection, command: string, status: string): number =>
  valueOf(c, 'memcached_commands_total', { command, status }) ?? 0;

async function totalConnections(port: number): Promise<number> {
  const stats = parseStats((await runCommands(port, ['stats'])).join('\r\n'));
  return statNumber(stats, 'total_connections') ?? NaN;
}

/**
 * total_connections once connections made before (the start-up probes) are all counted: memcached
 * counts a connection when a worker thread takes it, so a probe closed at once can be counted
 * after a later connection's stats answered. Settled when two reads differ by their own one.
 */
async function settledTotalConnections(port: number): Promise<number> {
  let previous = await totalConnections(port);
  for (let i = 0; i < 50; i++) {
    const next = await totalConnections(port);
    if (next - previous === 1) return next;
    previous = next;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('memcached total_connections did not settle');
}

const collect = (c: Collector, deadlineMs = DEADLINE_MS): Promise<Collection> =>
  c.collect(AbortSignal.timeout(deadlineMs));

/** `sets` keys set, then `hits` gets of them and `misses` gets of keys that do not exist. */
function load(prefix: string, sets: number, hits: number, misses: number): string[] {
  const keys = Array.from({ length: sets }, (_, i) => `${prefix}${i}`);
  return [
    ...keys.map((key) => setCommand(key)),
    ...Array.from({ length: hits }, (_, i) => `get ${keys[i % sets]}`),
    ...Array.from({ length: misses }, (_, i) => `get ${prefix}missing-${i}`),
  ];
}

describe.skipIf(!sharedAvailable)('the memcached collector against the shared server', () => {
  it('counts at least the sets, hits and misses a test issued between two collections', async () => {
    const c = collector(11211);
    const before = await collect(c);
    expect(before.error).toBeUndefined();
    await runCommands(11211, load(`vigil-test-${process.pid}-${Date.now()}-`, 20, 15, 7));
    const after = await collect(c);

    expect(after.error).toBeUndefined();
    expect(valueOf(after, 'memcached_up', { address: '127.0.0.1:11211' })).toBe(1);
    expect(commands(after, 'set', 'hit') - commands(before, 'set', 'hit')).toBeGreaterThanOrEqual(20);
    expect(commands(after, 'get', 'hit') - commands(before, 'get', 'hit')).toBeGreaterThanOrEqual(15);
    expect(commands(after, 'get', 'miss') - commands(before, 'get', 'miss')).toBeGreaterThanOrEqual(7);
    expect(valueOf(after, 'memcached_limit_bytes')).toBeGreaterThan(0);
  });
});

describe.skipIf(!binaryAvailable)('the memcached collector against a private server', () => {
  it('reports exactly the commands issued and keeps one connection', async () => {
    const server = await privateMemcached();
    const c = collector(server.port);
    const connectionsBefore = await settledTotalConnections(server.port);
    const before = await collect(c);
    await runCommands(server.port, [...load('k', 12, 9, 4), 'delete k0', 'delete nope', 'touch k1 60']);
    await collect(c);
    const after = await collect(c);

    expect(after.error).toBeUndefined();
    const version = after.families.find((f) => f.name === 'memcached_version')?.samples[0];
    expect(version).toEqual({
      labels: { address: `127.0.0.1:${server.port}`, version: expect.stringMatching(/^1\./) },
      value: 1,
    });
    expect(commands(after, 'set', 'hit') - commands(before, 'set', 'hit')).toBe(12);
    expect(commands(after, 'get', 'hit') - commands(before, 'get', 'hit')).toBe(9);
    expect(commands(after, 'get', 'miss') - commands(before, 'get', 'miss')).toBe(4);
    expect(commands(after, 'delete', 'hit')).toBe(1);
    expect(commands(after, 'delete', 'miss')).toBe(1);
    expect(commands(after, 'touch', 'hit')).toBe(1);
    expect(valueOf(after, 'memcached_current_items')).toBe(11);
    expect(valueOf(after, 'memcached_items_evicted_total')).toBe(0);
    expect(valueOf(after, 'memcached_limit_bytes')).toBe(64 * 1024 * 1024);
    expect(valueOf(after, 'memcached_read_bytes_total')).toBeGreaterThan(
      valueOf(before, 'memcached_read_bytes_total') ?? 0,
    );

    // one connection for the three rounds, plus the load's and the second stats'
    expect((await totalConnections(server.port)) - connectionsBefore).toBe(3);
  });

  it('reports ECONNREFUSED once the server is gone and collects again after it is back', async () => {
    const first = await startPrivateMemcached();
    const c = collector(first.port);
    expect((await collect(c)).error).toBeUndefined();
    await first.stop();

    const down = await collect(c);
    expect(valueOf(down, 'memcached_up')).toBe(0);
    expect(down.error).toMatch(/ECONNREFUSED|ECONNRESET|closed the connection|ended by the other party/);
    const refused = await collect(c);
    expect(valueOf(refused, 'memcached_up')).toBe(0);
    expect(refused.error).toBe(`connect ECONNREFUSED 127.0.0.1:${first.port}`);

    await privateMemcached(first.port);
    const back = await collect(c);
    expect(back.error).toBeUndefined();
    expect(valueOf(back, 'memcached_up')).toBe(1);
  });
});

describe('the memcached collector without a usable server', () => {
  it('reports ECONNREFUSED for a port nobody listens on', async () => {
    const port = await freeLoopbackPort();
    const result = await collect(collector(port));
    expect(valueOf(result, 'memcached_up', { address: `127.0.0.1:${port}` })).toBe(0);
    expect(result.error).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('gives up at the deadline when the endpoint accepts but never answers, and reconnects next time', async () => {
    const silent = await fakeServer();
    const c = collector(silent.port);
    const startedMs = Date.now();
    const result = await collect(c, 300);
    expect(Date.now() - startedMs).toBeLessThan(DEADLINE_MS);
    expect(valueOf(result, 'memcached_up')).toBe(0);
    expect(result.error).toMatch(/^no answer from memcached at 127\.0\.0\.1:\d+ before the deadline/);

    // the abandoned connection is not reused: a late reply would be taken for the next one
    await collect(c, 100);
    expect(silent.connections()).toBe(2);
  });

  it('reports an error line from the server', async () => {
    const broken = await fakeServer('SERVER_ERROR out of memory\r\n');
    const result = await collect(collector(broken.port));
    expect(valueOf(result, 'memcached_up')).toBe(0);
    expect(result.error).toBe('memcached answered "SERVER_ERROR out of memory"');
  });
});

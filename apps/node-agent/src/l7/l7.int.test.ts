/**
 * L7 request metrics through real eBPF (bpftrace, the default hooks), as root, against the
 * real servers on this machine: Postgres (127.0.0.1:5432), MariaDB (3306), Redis (6379), an
 * HTTP server this test opens, and the brokers NATS (4222) and RabbitMQ (5672), whose messages
 * published and delivered are counted. A child process makes a known number of requests of each kind,
 * ok and failing, and reports the slowest latency it measured; the agent's counts by status must
 * match within 2% and every request must fall in a bucket no higher than the client's slowest.
 * Only the child's requests are counted (by pid), so other tests' traffic cannot change the figures.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { canConnect, serviceGate } from '@vigil/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricFamily } from '@vigil/agent-kit';
import { TcpTracker } from '../connections/tcp-tracker.ts';
import { EbpfCollector } from '../ebpf/ebpf-collector.ts';
import { L7_BUCKETS } from '../ebpf/l7-program.ts';
import { L7Tracker } from './l7-tracker.ts';
import { ebpfGate } from '../ebpf/testing/ebpf-gate.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

const ebpf = ebpfGate();
const databases = serviceGate(
  'Postgres, MariaDB, Redis and memcached on 127.0.0.1',
  (await canConnect('127.0.0.1', 5432)) &&
    (await canConnect('127.0.0.1', 3306)) &&
    (await canConnect('127.0.0.1', 6379)) &&
    (await canConnect('127.0.0.1', 11211)),
  'start the machine services and memcached (.ci/run shows how)',
);
const runnable = ebpf && databases;
const brokers = serviceGate(
  'NATS and RabbitMQ on 127.0.0.1',
  (await canConnect('127.0.0.1', 4222)) && (await canConnect('127.0.0.1', 5672)),
  'start nats-server and rabbitmq-server (the machine services)',
);

/** pids whose requests count: the client child of the running test. */
const clients = new Set<number>();
let l7: L7Tracker;
let collector: EbpfCollector;
let server: http.Server;
let httpPort = 0;

beforeAll(async () => {
  if (!runnable) return;
  // This file runs in its own process (vitest forks): its HTTP server answers for /test/server.
  l7 = new L7Tracker((pid) =>
    clients.has(pid) ? '/test/client' : pid === process.pid ? '/test/server' : '/other',
  );
  const tracker = new TcpTracker(() => '/other');
  collector = new EbpfCollector({ tracker, l7, dumpSeconds: 1, onOomKill: () => {} });
  const unavailable = await collector.start();
  if (unavailable !== undefined) throw new Error(`eBPF did not start: ${unavailable}`);
  // On x86-64 the read probes take their arguments from the saved registers (one probe per read),
  // and with the socket length tracepoints (Linux ≥ 6.3) the L7 statements run inside them.
  expect(collector.l7ArgsFromRegs).toBe(process.arch === 'x64');
  const socketTracepoints = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'].some((dir) =>
    existsSync(`${dir}/events/sock/sock_send_length`),
  );
  expect(collector.l7OnSocketProbes).toBe(process.arch === 'x64' && socketTracepoints);
  server = http.createServer((req, res) => {
    const code = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('code') ?? 200);
    setTimeout(() => {
      res.statusCode = code;
      res.end('done');
    }, 2);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  httpPort = (server.address() as net.AddressInfo).port;
});

afterAll(async () => {
  await collector?.stop();
  server?.close();
});

/**
 * The client: runs `body` (an async function over the given modules) in a child node process
 * and returns what it printed as JSON.
 */
function runClient(body: string): Promise<{ slowestMs: number }> {
  const script = `
    const { performance } = require('node:perf_hooks');
    let slowestMs = 0;
    const timed = async (f) => { const t = performance.now(); try { return await f(); } finally { slowestMs = Math.max(slowestMs, performance.now() - t); } };
    (async () => { ${body} })().then(() => { console.log(JSON.stringify({ slowestMs })); process.exit(0); }, (e) => { console.error(e); process.exit(1); });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], {
      cwd: here,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    clients.add(child.pid!);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as { slowestMs: number })
        : reject(new Error(`client exited ${code}`)),
    );
  });
}

const families = (): MetricFamily[] => l7.families((id) => ({ container_id: id }));

function count(family: string, destination: string, status: string, container = '/test/client'): number {
  return (
    families()
      .find((f) => f.name === family)
      ?.samples.find(
        (s) =>
          s.labels.container_id === container &&
          (s.labels.destination ?? '') === destination &&
          s.labels.status === status,
      )?.value ?? 0
  );
}

/** The `le` bucket counts of a histogram for the client and destination. */
function buckets(family: string, destination: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of families().find((f) => f.name === family)?.samples ?? []) {
    if (
      s.suffix === '_bucket' &&
      s.labels.container_id === '/test/client' &&
      s.labels.destination === destination
    )
      out.set(s.labels.le!, s.value);
  }
  return out;
}

async function eventually(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const within2 = (actual: number, expected: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.max(0, Math.floor(expected * 0.02)));
};

/** Every request sits in a bucket at or below the client's slowest latency (rounded up to a bucket). */
function expectLatencyWithin(family: string, destination: string, total: number, slowestMs: number): void {
  const le = L7_BUCKETS.find((b) => b * 1000 >= slowestMs);
  const counts = buckets(family, destination);
  expect(counts.get('+Inf')).toBe(total);
  if (le !== undefined) expect(counts.get(String(le))).toBe(total);
}

describe.runIf(runnable)('eBPF L7 request metrics', () => {
  it('counts Postgres queries, ok and failed, with their latency', async () => {
    const { slowestMs } = await runClient(`
      const { Client } = require('pg');
      const c = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', ssl: false });
      await c.connect();
      for (let i = 0; i < 50; i++) await timed(() => c.query('select 1'));
      for (let i = 0; i < 5; i++) await timed(() => c.query('selec 1').catch(() => {}));
      await c.end();`);
    const dest = '127.0.0.1:5432';
    await eventually(
      () => count('container_postgres_queries_total', dest, 'failed') >= 5,
      'the failed queries',
    );
    within2(count('container_postgres_queries_total', dest, 'ok'), 50);
    within2(count('container_postgres_queries_total', dest, 'failed'), 5);
    expectLatencyWithin('container_postgres_queries_duration_seconds_total', dest, 55, slowestMs);
  });

  it('counts MariaDB queries, ok and failed', async () => {
    const { slowestMs } = await runClient(`
      const mysql = require('mysql2/promise');
      const c = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: 'test' });
      for (let i = 0; i < 30; i++) await timed(() => c.query('select 1'));
      for (let i = 0; i < 3; i++) await timed(() => c.query('selec 1').catch(() => {}));
      await c.end();`);
    const dest = '127.0.0.1:3306';
    await eventually(() => count('container_mysql_queries_total', dest, 'failed') >= 3, 'the failed queries');
    within2(count('container_mysql_queries_total', dest, 'ok'), 30);
    within2(count('container_mysql_queries_total', dest, 'failed'), 3);
    expectLatencyWithin('container_mysql_queries_duration_seconds_total', dest, 33, slowestMs);
  });

  it('counts Redis commands, ok and error replies', async () => {
    const { slowestMs } = await runClient(`
      const net = require('node:net');
      const s = net.connect(6379, '127.0.0.1');
      await new Promise((r) => s.once('connect', r));
      const send = (cmd) => timed(() => new Promise((r) => { s.once('data', r); s.write(cmd); }));
      for (let i = 0; i < 40; i++) await send('*1\\r\\n$4\\r\\nPING\\r\\n');
      for (let i = 0; i < 4; i++) await send('*1\\r\\n$7\\r\\nNOTACMD\\r\\n');
      s.end();`);
    const dest = '127.0.0.1:6379';
    await eventually(() => count('container_redis_queries_total', dest, 'failed') >= 4, 'the error replies');
    within2(count('container_redis_queries_total', dest, 'ok'), 40);
    within2(count('container_redis_queries_total', dest, 'failed'), 4);
    expectLatencyWithin('container_redis_queries_duration_seconds_total', dest, 44, slowestMs);
  });

  it('counts memcached commands, ok and error replies', async () => {
    const { slowestMs } = await runClient(`
      const net = require('node:net');
      const s = net.connect(11211, '127.0.0.1');
      await new Promise((r) => s.once('connect', r));
      const send = (cmd) => timed(() => new Promise((r) => { s.once('data', r); s.write(cmd); }));
      for (let i = 0; i < 20; i++) await send('set vigil-l7-' + i + ' 0 60 2\\r\\nok\\r\\n');
      for (let i = 0; i < 20; i++) await send('get vigil-l7-' + i + '\\r\\n');
      for (let i = 0; i < 3; i++) await send('incr vigil-l7-0 x\\r\\n');
      s.end();`);
    const dest = '127.0.0.1:11211';
    await eventually(
      () => count('container_memcached_queries_total', dest, 'failed') >= 3,
      'the error replies',
    );
    within2(count('container_memcached_queries_total', dest, 'ok'), 40);
    within2(count('container_memcached_queries_total', dest, 'failed'), 3);
    expectLatencyWithin('container_memcached_queries_duration_seconds_total', dest, 43, slowestMs);
  });

  it('counts HTTP requests by status class', async () => {
    const { slowestMs } = await runClient(`
      const http = require('node:http');
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const get = (code) => timed(() => new Promise((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: ${httpPort}, path: '/?code=' + code, agent }, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject);
      }));
      for (let i = 0; i < 40; i++) await get(200);
      for (let i = 0; i < 5; i++) await get(500);
      for (let i = 0; i < 3; i++) await get(404);
      agent.destroy();`);
    const dest = `127.0.0.1:${httpPort}`;
    await eventually(() => count('container_http_requests_total', dest, '4xx') >= 3, 'the 404s');
    within2(count('container_http_requests_total', dest, '2xx'), 40);
    within2(count('container_http_requests_total', dest, '5xx'), 5);
    within2(count('container_http_requests_total', dest, '4xx'), 3);
    expectLatencyWithin('container_http_requests_duration_seconds_total', dest, 48, slowestMs);
    // The same requests as the server (this process) answered them: inbound, no destination.
    await eventually(
      () => count('container_http_inbound_requests_total', '', '4xx', '/test/server') >= 3,
      'the inbound 404s',
    );
    within2(count('container_http_inbound_requests_total', '', '2xx', '/test/server'), 40);
    within2(count('container_http_inbound_requests_total', '', '5xx', '/test/server'), 5);
    within2(count('container_http_inbound_requests_total', '', '4xx', '/test/server'), 3);
    const inbound = families()
      .find((f) => f.name === 'container_http_inbound_requests_duration_seconds_total')!
      .samples.find((s) => s.labels.container_id === '/test/server' && s.suffix === '_count')!;
    expect(inbound.value).toBe(48);
    expect(inbound.labels).not.toHaveProperty('destination');
  });

  it.runIf(brokers)('counts NATS and RabbitMQ messages published and delivered', async () => {
    await runClient(`
      const net = require('node:net');
      // NATS' text protocol over a raw socket: subscribe, publish 12 messages, read the 12 back.
      const s = net.connect(4222, '127.0.0.1');
      let text = '';
      s.on('data', (d) => (text += d.toString()));
      await new Promise((r) => s.once('connect', r));
      await new Promise((r) => setTimeout(r, 100));
      s.write('CONNECT {"verbose":false}\\r\\nSUB vigil.l7 1\\r\\n');
      for (let i = 0; i < 12; i++) {
        await new Promise((r) => s.write('PUB vigil.l7 5\\r\\nhello\\r\\n', r));
        const want = i + 1;
        while ((text.match(/MSG vigil/g) ?? []).length < want) await new Promise((r) => setTimeout(r, 5));
      }
      s.end();
      const amqp = require('amqplib');
      const conn = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
      const ch = await conn.createChannel();
      const q = (await ch.assertQueue('', { exclusive: true })).queue;
      let got = 0;
      await ch.consume(q, () => { got++; }, { noAck: true });
      for (let i = 0; i < 7; i++) {
        ch.sendToQueue(q, Buffer.from('m' + i));
        while (got < i + 1) await new Promise((r) => setTimeout(r, 5));
      }
      await ch.close();
      await conn.close();`);
    const messages = (broker: string, destination: string, method: string): number =>
      families()
        .find((f) => f.name === `container_${broker}_messages_total`)
        ?.samples.find(
          (s) =>
            s.labels.container_id === '/test/client' &&
            s.labels.destination === destination &&
            s.labels.method === method,
        )?.value ?? 0;
    await eventually(() => messages('rabbitmq', '127.0.0.1:5672', 'consume') >= 7, 'the RabbitMQ deliveries');
    expect(messages('nats', '127.0.0.1:4222', 'produce')).toBe(12);
    expect(messages('nats', '127.0.0.1:4222', 'consume')).toBe(12);
    expect(messages('rabbitmq', '127.0.0.1:5672', 'produce')).toBe(7);
    expect(messages('rabbitmq', '127.0.0.1:5672', 'consume')).toBe(7);
    // No read's registers failed the syscall-number check, so no fallback happened.
    expect(collector.l7ArgsFromRegs).toBe(process.arch === 'x64');
  });
});

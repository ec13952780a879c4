/**
 * eBPF spans and DNS through real eBPF, as root, end to end:
 *
 * - Spans: a host process makes known HTTP (200 and 500), Postgres (ok and a syntax error),
 *   Redis and memcached requests against the real servers; the agent's span shipper sends them to
 *   a real Vigil server (in-process, embedded chDB), and they must come back through
 *   `GET /api/v1/traces` with their names, kinds, statuses and attributes: CLIENT spans of the
 *   caller, SERVER spans of the HTTP server (this process).
 * - DNS: a DNS server this test runs on 127.0.0.153:53 (UDP) answers `known.vigil.test` and
 *   says NXDOMAIN to anything else. A host process (Node's resolver) and a Docker container
 *   (busybox nslookup, `--network host`) ask it; the counts by domain, type and status must match
 *   within 2%. The container also makes HTTP requests, counted under its own container id.
 *
 * Only the clients' pids (and the container's) are attributed; other traffic is `/other`. Read
 * probes here remember their arguments at syscall entry (the fallback of other architectures);
 * l7.int.test.ts runs the default.
 */
import { execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MetricFamily } from '@vigil/agent-kit';
import { silentLogger } from '@vigil/core';
import type { TraceView, TraceSummary } from '@vigil/spec';
import {
  canConnect,
  dockerAvailable,
  ensureBusyboxImage,
  makeTempDir,
  removeTestContainers,
  runContainer,
  serviceGate,
} from '@vigil/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpTracker } from '../connections/tcp-tracker.ts';
import { EbpfCollector } from '../ebpf/ebpf-collector.ts';
import { ebpfGate } from '../ebpf/testing/ebpf-gate.ts';
import { INGEST_KEY, startVigilServer, type VigilServer } from '../logs/testing/vigil-server.ts';
import { DnsTracker } from './dns-tracker.ts';
import { L7Tracker } from './l7-tracker.ts';
import { startNodeSpans, type NodeSpans } from './node-spans.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const ebpf = ebpfGate();
const databases = serviceGate(
  'Postgres, Redis and memcached on 127.0.0.1',
  (await canConnect('127.0.0.1', 5432)) &&
    (await canConnect('127.0.0.1', 6379)) &&
    (await canConnect('127.0.0.1', 11211)),
  'start the machine services and memcached (.ci/run shows how)',
);
const docker = serviceGate(
  'Docker',
  await dockerAvailable(),
  'start dockerd --bridge=none --iptables=false --ip-masq=false',
);
const runnable = ebpf && databases;

const DNS_ADDRESS = '127.0.0.153';
const CONTAINER = `vigil-l7-dns-${process.pid}`;

const clients = new Set<number>();
/** cgroup v2 id (the inode of its cgroup directory) of the test container, as bpftrace's `cgroup`. */
let containerCgroupId = '';
let vigil: VigilServer;
let spans: NodeSpans;
let l7: L7Tracker;
let dns: DnsTracker;
let collector: EbpfCollector;
let server: http.Server;
let httpPort = 0;
let dnsServer: dgram.Socket;
let spool: { dir: string; cleanup: () => void };

/** The test's attribution: its clients, the HTTP server (this process), the test container. */
function containerOf(pid: number, cgroupId?: string): string {
  if (clients.has(pid)) return '/test/client';
  if (pid === process.pid) return '/test/server';
  if (containerCgroupId !== '' && cgroupId === containerCgroupId) return `/docker/${CONTAINER}`;
  return '/other';
}

/** The unified-hierarchy cgroup directory of a container (cgroup v2, or v2 at /sys/fs/cgroup/unified). */
function cgroupIdOfContainer(runtimeId: string): string {
  const line = readFileSync(`/proc/${containerPid(runtimeId)}/cgroup`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('0::'));
  if (line === undefined) throw new Error('the container has no cgroup v2 path');
  const root = existsSync('/sys/fs/cgroup/unified') ? '/sys/fs/cgroup/unified' : '/sys/fs/cgroup';
  return String(statSync(`${root}${line.slice(3)}`).ino);
}

function containerPid(runtimeId: string): number {
  return Number(
    execFileSync('docker', ['inspect', '-f', '{{.State.Pid}}', runtimeId], { encoding: 'utf8' }).trim(),
  );
}

/** A DNS answer to `query`: one A record (TTL 0) for known.vigil.test, NXDOMAIN for any other name. */
function answer(query: Buffer): Buffer {
  let i = 12;
  const labels: string[] = [];
  while (query[i]! !== 0) {
    labels.push(query.subarray(i + 1, i + 1 + query[i]!).toString());
    i += query[i]! + 1;
  }
  const questionEnd = i + 5;
  const type = query.readUInt16BE(i + 1);
  const known = labels.join('.') === 'known.vigil.test';
  const header = Buffer.from(query.subarray(0, 12));
  header[2] = 0x81; // response, recursion desired
  header[3] = known ? 0x80 : 0x83; // recursion available; NOERROR or NXDOMAIN
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(known && type === 1 ? 1 : 0, 6);
  header.writeUInt32BE(0, 8);
  const parts = [header, query.subarray(12, questionEnd)];
  if (known && type === 1) {
    parts.push(Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 127, 0, 0, 1]));
  }
  return Buffer.concat(parts);
}

beforeAll(async () => {
  if (!runnable) return;
  vigil = await startVigilServer();
  spool = makeTempDir('vigil-spans-agent-');
  spans = await startNodeSpans({
    logger: silentLogger,
    version: 'test',
    push: {
      collectorUrl: vigil.url,
      apiKey: INGEST_KEY,
      spoolDir: path.join(spool.dir, 'spool'),
      backoff: { initialMs: 200, maxMs: 1000 },
    },
    containerOf: (pid, _comm, cgroupId) => containerOf(pid, cgroupId),
    appIdOf: (id) => id,
  });
  l7 = new L7Tracker((pid, _comm, cgroupId) => containerOf(pid, cgroupId));
  dns = new DnsTracker((pid, _comm, cgroupId) => containerOf(pid, cgroupId));
  collector = new EbpfCollector({
    tracker: new TcpTracker(() => '/other'),
    l7,
    dns,
    spans: {
      sampling: { fraction: 1, maxPerSecond: 100_000 },
      onSpan: (event) => {
        if (containerOf(event.pid, event.cgroupId) !== '/other') spans.onSpan(event);
      },
    },
    dumpSeconds: 1,
    onOomKill: () => {},
    // The entry-probe variant of the read probes (l7.int.test.ts covers the x86-64 default).
    l7ArgsFromRegs: false,
  });
  const unavailable = await collector.start();
  if (unavailable !== undefined) throw new Error(`eBPF did not start: ${unavailable}`);
  server = http.createServer((req, res) => {
    res.statusCode = req.url?.startsWith('/span-fail') ? 500 : 200;
    res.end('done');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  httpPort = (server.address() as net.AddressInfo).port;
  dnsServer = dgram.createSocket('udp4');
  dnsServer.on('message', (msg, rinfo) => dnsServer.send(answer(msg), rinfo.port, rinfo.address));
  await new Promise<void>((r) => dnsServer.bind(53, DNS_ADDRESS, r));
}, 120_000);

afterAll(async () => {
  await collector?.stop();
  await spans?.stop();
  server?.close();
  dnsServer?.close();
  await vigil?.stop();
  spool?.cleanup();
  if (docker) await removeTestContainers();
});

function runClient(body: string): Promise<void> {
  const script = `(async () => { ${body} })().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], {
      cwd: here,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    clients.add(child.pid!);
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`client exited ${code}`))));
  });
}

async function eventually<T>(get: () => Promise<T> | T, ok: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await get();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const within2 = (actual: number, expected: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.floor(expected * 0.02));
};

async function traces(service: string): Promise<TraceSummary[]> {
  await spans.flush();
  const from = Date.now() - 600_000;
  const res = await vigil.getJson<{ traces: TraceSummary[] }>(
    `/api/v1/traces?service=${encodeURIComponent(service)}&from=${from}&limit=1000`,
  );
  return res.traces;
}

const named = (list: TraceSummary[], name: string): TraceSummary[] =>
  list.filter((t) => t.rootSpanName === name);

function dnsCount(container: string, domain: string, type: string, status: string): number {
  const family = dns
    .families((id) => ({ container_id: id }))
    .find((f) => f.name === 'container_dns_requests_total');
  return (
    family?.samples.find(
      (s) =>
        s.labels.container_id === container &&
        s.labels.domain === domain &&
        s.labels.request_type === type &&
        s.labels.status === status,
    )?.value ?? 0
  );
}

const l7Families = (): MetricFamily[] => l7.families((id) => ({ container_id: id }));

describe.runIf(runnable)('eBPF spans and DNS', () => {
  it('sends a CLIENT span per request and a SERVER span per answer to /v1/traces', async () => {
    await runClient(`
      const http = require('node:http');
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const get = (p) => new Promise((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: ${httpPort}, path: p, agent }, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject);
      });
      for (let i = 0; i < 10; i++) await get('/span-ok?i=' + i);
      for (let i = 0; i < 3; i++) await get('/span-fail');
      agent.destroy();
      const { Client } = require('pg');
      const c = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', ssl: false });
      await c.connect();
      for (let i = 0; i < 5; i++) await c.query("select 42, 'secret-value'");
      await c.query('selec 1').catch(() => {});
      await c.end();
      const net = require('node:net');
      const talk = async (port, cmds) => {
        const s = net.connect(port, '127.0.0.1');
        await new Promise((r) => s.once('connect', r));
        for (const cmd of cmds) await new Promise((r) => { s.once('data', r); s.write(cmd); });
        s.end();
      };
      await talk(6379, ['*3\\r\\n$3\\r\\nSET\\r\\n$9\\r\\nvigil-key\\r\\n$6\\r\\nsecret\\r\\n', '*2\\r\\n$3\\r\\nGET\\r\\n$9\\r\\nvigil-key\\r\\n']);
      await talk(11211, ['get vigil-span-key\\r\\n']);`);

    const client = await eventually(
      () => traces('/test/client'),
      (list) => named(list, 'GET /span-ok').length >= 10 && named(list, 'GET').length >= 1,
      'the client spans',
    );
    expect(named(client, 'GET /span-ok')).toHaveLength(10);
    expect(named(client, 'GET /span-ok').every((t) => !t.hasError && t.spanCount === 1)).toBe(true);
    expect(named(client, 'GET /span-fail')).toHaveLength(3);
    expect(named(client, 'GET /span-fail').every((t) => t.hasError)).toBe(true);
    expect(named(client, 'SET')).toHaveLength(1);
    expect(named(client, 'get')).toHaveLength(1);
    const selects = named(client, 'SELECT');
    expect(selects.filter((t) => !t.hasError)).toHaveLength(5);
    // The syntax error: its keyword is not SQL, its span failed.
    expect(client.filter((t) => t.rootSpanName === 'SELEC' && t.hasError)).toHaveLength(1);

    const pg = await vigil.getJson<TraceView>(`/api/v1/traces/${selects[0]!.traceId}`);
    const span = pg.spans[0]!;
    expect(span.kind).toBe('Client');
    expect(span.serviceName).toBe('/test/client');
    expect(span.attributes['db.system']).toBe('postgresql');
    expect(span.attributes['db.statement']).toBe('select ?, ?');
    expect(span.attributes['net.peer.port']).toBe('5432');
    const failed = await vigil.getJson<TraceView>(
      `/api/v1/traces/${named(client, 'GET /span-fail')[0]!.traceId}`,
    );
    expect(failed.spans[0]!.attributes['http.status_code']).toBe('500');
    expect(failed.spans[0]!.attributes['http.method']).toBe('GET');
    const redis = await vigil.getJson<TraceView>(`/api/v1/traces/${named(client, 'SET')[0]!.traceId}`);
    expect(redis.spans[0]!.attributes['db.statement']).toBe('SET vigil-key ?');

    // This process answered the HTTP requests: SERVER spans, a 500 is an error of the server.
    const served = await eventually(
      () => traces('/test/server'),
      (list) => named(list, 'GET /span-fail').length >= 3,
      'the server spans',
    );
    expect(named(served, 'GET /span-ok')).toHaveLength(10);
    expect(named(served, 'GET /span-fail').every((t) => t.hasError)).toBe(true);
    const inbound = await vigil.getJson<TraceView>(
      `/api/v1/traces/${named(served, 'GET /span-ok')[0]!.traceId}`,
    );
    expect(inbound.spans[0]!.kind).toBe('Server');
  });

  it('counts DNS requests of a host process by domain, type and status', async () => {
    await runClient(`
      const { Resolver } = require('node:dns').promises;
      const r = new Resolver({ timeout: 2000, tries: 1 });
      r.setServers(['${DNS_ADDRESS}']);
      for (let i = 0; i < 20; i++) await r.resolve4('known.vigil.test');
      for (let i = 0; i < 5; i++) await r.resolve4('missing.vigil.test').catch(() => {});`);
    // Answers arrive through per-CPU buffers: both kinds are waited for, then counted exactly.
    await eventually(
      () => [
        dnsCount('/test/client', 'known.vigil.test', 'A', 'ok'),
        dnsCount('/test/client', 'missing.vigil.test', 'A', 'nxdomain'),
      ],
      ([known, missing]) => known! >= 20 && missing! >= 5,
      'the answers',
    );
    const known = dnsCount('/test/client', 'known.vigil.test', 'A', 'ok');
    const missing = dnsCount('/test/client', 'missing.vigil.test', 'A', 'nxdomain');
    within2(known, 20);
    within2(missing, 5);
    // Every counted request is also in the latency histogram (the counts themselves may be off by
    // the odd event a loaded machine's per-CPU buffers lose or a resolver retries).
    const histogram = dns
      .families((id) => ({ container_id: id }))
      .find((f) => f.name === 'container_dns_requests_duration_seconds_total')!
      .samples.find((s) => s.labels.container_id === '/test/client' && s.suffix === '_count');
    expect(histogram?.value).toBe(known + missing);
  });

  it.runIf(docker)('counts DNS and HTTP requests made inside a Docker container', async () => {
    await ensureBusyboxImage();
    const id = await runContainer({
      name: CONTAINER,
      cmd: [
        'sh',
        '-c',
        `sleep 3; for i in 1 2 3 4 5; do nslookup known.vigil.test ${DNS_ADDRESS} >/dev/null 2>&1; wget -q -O /dev/null http://127.0.0.1:${httpPort}/from-container; done; sleep 30`,
      ],
    });
    containerCgroupId = cgroupIdOfContainer(id);
    const container = `/docker/${CONTAINER}`;
    const httpOk = (): number =>
      l7Families()
        .find((f) => f.name === 'container_http_requests_total')
        ?.samples.find((s) => s.labels.container_id === container && s.labels.status === '2xx')?.value ?? 0;
    await eventually(httpOk, (n) => n >= 5, 'the container HTTP requests');
    within2(httpOk(), 5);
    await eventually(
      () => dnsCount(container, 'known.vigil.test', 'A', 'ok'),
      (n) => n >= 5,
      'the container DNS requests',
    );
    within2(dnsCount(container, 'known.vigil.test', 'A', 'ok'), 5);
  });
});

/**
 * The L7 fallback on syscall probes (`VIGIL_L7_HOOKS=syscalls`: `write`/`writev`/`sendto` and
 * `read`/`recvfrom` tracepoints, the socket found from the fd; what kernels without the socket
 * length tracepoints get) through real eBPF, as root: HTTP requests to a server this test opens,
 * made by a child process, counted by status on both sides, as the socket probes count them
 * (l7.int.test.ts covers every protocol on the default hooks).
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricFamily } from '@vigil/agent-kit';
import { TcpTracker } from '../connections/tcp-tracker.ts';
import { EbpfCollector } from '../ebpf/ebpf-collector.ts';
import { ebpfGate } from '../ebpf/testing/ebpf-gate.ts';
import { L7Tracker } from './l7-tracker.ts';

const runnable = ebpfGate();

let client = -1;
let l7: L7Tracker;
let collector: EbpfCollector;
let server: http.Server;
let port = 0;

beforeAll(async () => {
  if (!runnable) return;
  l7 = new L7Tracker((pid) =>
    pid === client ? '/test/client' : pid === process.pid ? '/test/server' : '/other',
  );
  collector = new EbpfCollector({
    tracker: new TcpTracker(() => '/other'),
    l7,
    l7SocketProbes: false,
    dumpSeconds: 1,
    onOomKill: () => {},
  });
  const unavailable = await collector.start();
  if (unavailable !== undefined) throw new Error(`eBPF did not start: ${unavailable}`);
  expect(collector.l7OnSocketProbes).toBe(false);
  server = http.createServer((req, res) => {
    res.statusCode = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('code') ?? 200);
    res.end('done');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
});

afterAll(async () => {
  await collector?.stop();
  server?.close();
});

/** 30 answers 200 and 4 answers 503 over one keep-alive connection, from a child process. */
function requests(): Promise<void> {
  const body = `
    const http = require('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = (code) => new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: ${port}, path: '/?code=' + code, agent }, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject);
    });
    (async () => {
      for (let i = 0; i < 30; i++) await get(200);
      for (let i = 0; i < 4; i++) await get(503);
      agent.destroy();
    })();`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', body], { stdio: 'inherit' });
    client = child.pid ?? -1;
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`client exited ${code}`))));
  });
}

function count(family: string, container: string, status: string): number {
  const families: MetricFamily[] = l7.families((id) => ({ container_id: id }));
  let sum = 0;
  for (const s of families.find((f) => f.name === family)?.samples ?? []) {
    if (s.labels.container_id === container && s.labels.status === status) sum += s.value;
  }
  return sum;
}

describe.runIf(runnable)('L7 on the syscall probes (VIGIL_L7_HOOKS=syscalls)', () => {
  it('counts HTTP requests and their answers by status on both sides', async () => {
    await requests();
    const deadline = Date.now() + 15_000;
    while (count('container_http_inbound_requests_total', '/test/server', '5xx') < 4) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the inbound 503s');
      await new Promise((r) => setTimeout(r, 200));
    }
    // Both sides answered by the same kernel rounds; the client's may land one round later.
    await new Promise((r) => setTimeout(r, 1500));
    expect(count('container_http_requests_total', '/test/client', '2xx')).toBe(30);
    expect(count('container_http_requests_total', '/test/client', '5xx')).toBe(4);
    expect(count('container_http_inbound_requests_total', '/test/server', '2xx')).toBe(30);
    expect(count('container_http_inbound_requests_total', '/test/server', '5xx')).toBe(4);
  });
});

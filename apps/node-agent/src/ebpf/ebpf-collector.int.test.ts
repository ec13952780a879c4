/**
 * The TCP family and OOM kills through real eBPF (bpftrace on tracepoints), as root: a child
 * process connects to listeners this test opens (its own ports, so other tests' traffic cannot
 * change the counts), to a closed port, and to the machine's Postgres; a child in a memory
 * cgroup of 24 MiB allocates past it. bpftrace is killed to check it is restarted, and the
 * agent-side process is SIGKILLed to check bpftrace does not outlive it. The connection tests
 * run twice: the program compiled ahead of time under bpftrace-aotrt (the default without L7)
 * and under `bpftrace -e`; a child holding more connections than the compiled program's maps
 * hold moves it to `bpftrace -e`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { canConnect, makeTempDir, serviceGate } from '@vigil/testkit';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { MetricFamily } from '@vigil/agent-kit';
import { detectLayout } from '../cgroups/container-resources.ts';
import { resolveNat } from '../connections/conntrack.ts';
import { TcpTracker } from '../connections/tcp-tracker.ts';
import { ContainerRegistry } from '../containers/registry.ts';
import { AOT_MAP_KEYS } from './bpftrace-aot.ts';
import { EbpfCollector } from './ebpf-collector.ts';
import { ebpfGate } from './testing/ebpf-gate.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

const runnable = ebpfGate();

let registry: ContainerRegistry;
let tracker: TcpTracker;
let collector: EbpfCollector;
const ooms: number[] = [];

/** A fresh registry, tracker and collector (the compiled program unless `aot` is false). */
async function startCollector(aot: boolean): Promise<void> {
  registry = new ContainerRegistry({ layout: await detectLayout() });
  await registry.scan();
  tracker = new TcpTracker(
    (pid, comm, cgroupId) => registry.containerOf(pid, comm, cgroupId),
    Date.now,
    (queries) => resolveNat(queries),
  );
  collector = new EbpfCollector({
    tracker,
    dumpSeconds: 1,
    aot,
    onOomKill: (pid, comm, cgroupId) => {
      ooms.push(pid);
      registry.recordOomKill(pid, comm, cgroupId);
    },
  });
  const unavailable = await collector.start();
  if (unavailable !== undefined) throw new Error(`eBPF did not start: ${unavailable}`);
}

/** Whether Debian's bpftrace package brought its ahead-of-time runtime (it does since 0.16). */
const aotRuntime = existsSync('/usr/bin/bpftrace-aotrt');

/** A node child process running `script` (CommonJS), resolved when it exits. */
function runChild(
  script: string,
  env: Record<string, string> = {},
  onLine?: (line: string) => void,
): Promise<{ pid: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], {
      stdio: ['ignore', onLine === undefined ? 'inherit' : 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    });
    child.stdout?.on('data', (d: Buffer) => onLine?.(d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ pid: child.pid!, code }));
  });
}

function value(families: MetricFamily[], name: string, labels: Record<string, string>): number | undefined {
  const family = families.find((f) => f.name === name);
  const sample = family?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return sample?.value;
}

async function eventually(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A network namespace of the test's own with its loopback up, deleted when the test ends;
 * resolves to a function running a command inside it.
 */
function testNetns(ns: string): (...args: string[]) => string {
  execFileSync('ip', ['netns', 'add', ns]);
  onTestFinished(() => void execFileSync('ip', ['netns', 'del', ns]));
  const inNs = (...args: string[]): string =>
    execFileSync('ip', ['netns', 'exec', ns, ...args], { encoding: 'utf8' });
  inNs('ip', 'link', 'set', 'lo', 'up');
  return inNs;
}

/** node running `script` inside `ns`, killed when the test ends; resolves once it printed `ready`. */
async function nodeInNetns(ns: string, script: string, ready: string): Promise<ChildProcess> {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', script], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  onTestFinished(() => void child.kill('SIGKILL'));
  await new Promise<void>((resolve) =>
    child.stdout!.on('data', (d: Buffer) => d.toString().includes(ready) && resolve()),
  );
  return child;
}

const families = (): MetricFamily[] => tracker.families((id) => registry.labelsOf(id));

describe.runIf(runnable).each([{ runtime: 'aot' }, { runtime: 'jit' }] as const)(
  'eBPF TCP connection family ($runtime)',
  ({ runtime }) => {
    beforeAll(async () => {
      await startCollector(runtime === 'aot');
    });
    afterAll(async () => {
      await collector?.stop();
    });

    it('runs the program the way it was asked to', () => {
      if (runtime === 'jit') {
        expect(collector.runtime).toBe('jit');
        expect(readlinkSync(`/proc/${collector.pid!}/exe`)).toMatch(/\/bpftrace$/);
        return;
      }
      if (!serviceGate('bpftrace-aotrt', aotRuntime, "Debian's bpftrace package ships it")) return;
      expect(collector.runtime).toBe('aot');
      expect(readlinkSync(`/proc/${collector.pid!}/exe`)).toMatch(/\/bpftrace-aotrt$/);
      const ebpfRuntime = collector.families().find((f) => f.name === 'vigil_node_agent_ebpf_runtime');
      expect(ebpfRuntime?.samples).toEqual([{ labels: { runtime: 'aot' }, value: 1 }]);
    });

    it('counts each successful connect, bytes each way, connect time and active connections by destination', async () => {
      const received: Buffer[] = [];
      const server = net.createServer((socket) => {
        socket.on('data', (d) => {
          received.push(d);
          if (received.reduce((n, b) => n + b.length, 0) >= 100_000) socket.write(Buffer.alloc(50_000, 7));
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as net.AddressInfo).port;
      const destination = `127.0.0.1:${port}`;
      // Four short connections, then one that sends 100 000 bytes, reads 50 000 and stays open
      // until the parent says so.
      const script = `
      const net = require('net');
      let left = 4;
      const one = () => { const s = net.connect(${port}, '127.0.0.1', () => { s.end(); if (--left > 0) one(); else big(); }); };
      const big = () => {
        const s = net.connect(${port}, '127.0.0.1', () => s.write(Buffer.alloc(100000, 1)));
        let got = 0;
        s.on('data', (d) => { got += d.length; if (got >= 50000) { console.log('HOLD'); process.stdin.resume(); } });
        setTimeout(() => s.destroy(), 3000);
      };
      one();`;
      let holding = false;
      const child = runChild(script, {}, (line) => {
        if (line.includes('HOLD')) holding = true;
      });
      // The child is node, started by this (node) process: its application is /host/node.
      const labels = { container_id: '/host/node', destination, actual_destination: destination };
      // The child prints HOLD once the fifth connection has its 50 000 bytes.
      await eventually(() => holding, 'the held connection');
      await eventually(
        () =>
          value(families(), 'container_net_tcp_active_connections', labels) === 1 &&
          (value(families(), 'container_net_tcp_successful_connects_total', labels) ?? 0) >= 5,
        'five connects, one still open',
      );
      const open = families();
      expect(value(open, 'container_net_tcp_successful_connects_total', labels)).toBe(5);
      // Every connect to this destination was made by the child: no sample under another container.
      const samples = open
        .find((f) => f.name === 'container_net_tcp_successful_connects_total')!
        .samples.filter((x) => x.labels.destination === destination);
      expect(samples.map((x) => [x.labels.container_id, x.labels.app_id])).toEqual([
        ['/host/node', '/host/node'],
      ]);
      expect(value(open, 'container_net_tcp_connection_time_seconds_total', labels)).toBeGreaterThan(0);
      expect(value(open, 'container_net_tcp_connection_time_seconds_total', labels)).toBeLessThan(5);
      await child;
      await eventually(
        () => value(families(), 'container_net_tcp_active_connections', labels) === 0,
        'the close',
      );
      const closed = families();
      expect(value(closed, 'container_net_tcp_bytes_sent_total', labels)).toBe(100_000);
      expect(value(closed, 'container_net_tcp_bytes_received_total', labels)).toBe(50_000);
      // Present (loopback under load can retransmit, so its value is tested below, with real loss).
      expect(value(closed, 'container_net_tcp_retransmits_total', labels)).toBeGreaterThanOrEqual(0);
      expect(value(closed, 'container_net_tcp_failed_connects_total', { destination })).toBeUndefined();
      server.close();
    });

    it('counts a connect to a closed port as failed', async () => {
      const probe = net.createServer();
      await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
      const port = (probe.address() as net.AddressInfo).port;
      await new Promise<void>((r) => probe.close(() => r()));
      const destination = `127.0.0.1:${port}`;
      await runChild(`require('net').connect(${port}, '127.0.0.1').on('error', () => process.exit(0));`);
      await eventually(
        () => value(families(), 'container_net_tcp_failed_connects_total', { destination }) === 1,
        'the failure',
      );
      expect(
        value(families(), 'container_net_tcp_successful_connects_total', { destination }),
      ).toBeUndefined();
    });

    it('sees connects to the machine Postgres with destination 127.0.0.1:5432', async () => {
      if (!serviceGate('PostgreSQL', await canConnect('127.0.0.1', 5432), 'start the machine Postgres'))
        return;
      const destination = '127.0.0.1:5432';
      const before =
        value(families(), 'container_net_tcp_successful_connects_total', {
          destination,
          container_id: '/host/node',
        }) ?? 0;
      await runChild(`
      const net = require('net'); let left = 3;
      const one = () => net.connect(5432, '127.0.0.1', function () { this.end(); if (--left > 0) one(); });
      one();`);
      await eventually(
        () =>
          (value(families(), 'container_net_tcp_successful_connects_total', {
            destination,
            container_id: '/host/node',
          }) ?? 0) >=
          before + 3,
        'three connects to Postgres',
      );
    });

    it('names where NAT sent a connection as its actual_destination (DNAT in a network namespace)', async () => {
      const ns = `vigil-nat-${process.pid}-${runtime}`;
      const inNs = testNetns(ns);
      // 127.0.0.77:5555 is sent to 127.0.0.1:7778, as kube-proxy sends a Service's address to a pod.
      inNs(
        'iptables',
        '-t',
        'nat',
        '-A',
        'OUTPUT',
        '-p',
        'tcp',
        '-d',
        '127.0.0.77',
        '--dport',
        '5555',
        '-j',
        'DNAT',
        '--to-destination',
        '127.0.0.1:7778',
      );
      const script = `
        const net = require('net');
        net.createServer((s) => s.resume()).listen(7778, '127.0.0.1', () => {
          // One connection through the NAT rule, one straight to the listener.
          let up = 0;
          const ready = () => ++up === 2 && console.log('READY');
          net.connect(5555, '127.0.0.77', ready);
          net.connect(7778, '127.0.0.1', ready);
          process.stdin.on('data', () => process.exit(0));
        });`;
      const child = await nodeInNetns(ns, script, 'READY');
      const labels = { destination: '127.0.0.77:5555', actual_destination: '127.0.0.1:7778' };
      await eventually(
        () => value(families(), 'container_net_tcp_active_connections', labels) === 1,
        'the connection with its actual destination',
      );
      expect(value(families(), 'container_net_tcp_successful_connects_total', labels)).toBe(1);
      // The one without NAT keeps its destination as the actual one.
      expect(
        value(families(), 'container_net_tcp_active_connections', {
          destination: '127.0.0.1:7778',
          actual_destination: '127.0.0.1:7778',
        }),
      ).toBe(1);
      child.stdin!.write('x');
    });

    it('counts retransmits of a connection whose packets are dropped (iptables in a network namespace)', async () => {
      const ns = `vigil-rt-${process.pid}`;
      const inNs = testNetns(ns);
      // A server and a client inside the namespace's own loopback; the client connects, says
      // READY, and writes once told to (after the test has started dropping its packets).
      await nodeInNetns(
        ns,
        "require('net').createServer((s) => s.resume()).listen(7777, '127.0.0.1', () => console.log('LISTENING'))",
        'LISTENING',
      );
      const client = await nodeInNetns(
        ns,
        "const s = require('net').connect(7777, '127.0.0.1', () => console.log('READY')); process.stdin.on('data', () => s.write(Buffer.alloc(1000, 1)));",
        'READY',
      );
      // Dropped on arrival (INPUT): sent fine, never acknowledged, so retransmitted after each timeout.
      inNs('iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', '7777', '-j', 'DROP');
      client.stdin!.write('go\n');
      const labels = { destination: '127.0.0.1:7777' };
      // Every data packet is dropped: the kernel retransmits after each timeout (0.2 s, 0.4 s, …).
      await eventually(
        () => (value(families(), 'container_net_tcp_retransmits_total', labels) ?? 0) >= 2,
        'retransmits',
      );
      expect(value(families(), 'container_net_tcp_active_connections', labels)).toBe(1);
    });

    it('keeps the kernel memory of its maps bounded by the map size (16384 entries each, 4096 compiled)', () => {
      const size = collector.runtime === 'aot' ? AOT_MAP_KEYS : 16_384;
      // Every map bpftrace made, as the kernel accounts it (/proc/<pid>/fdinfo of its map fds).
      const fdDir = `/proc/${collector.pid!}/fdinfo`;
      let maps = 0;
      let bytes = 0;
      for (const fd of readdirSync(fdDir)) {
        const info = readFileSync(path.join(fdDir, fd), 'utf8');
        if (!info.includes('map_type:')) continue;
        maps++;
        const entries = Number(/max_entries:\s+(\d+)/.exec(info)?.[1]);
        if (entries > 2) expect(entries).toBe(size);
        bytes += Number(/memlock:\s+(\d+)/.exec(info)?.[1] ?? 0);
      }
      expect(maps).toBeGreaterThan(5);
      // Per-CPU maps cost their size once per CPU; two interval maps, the rest plain hashes.
      const cpus = availableParallelism();
      expect(bytes).toBeLessThan((12 + 2 * cpus) * size * 200);
    });

    it('restarts bpftrace when it dies, and keeps counting', async () => {
      const first = collector.pid!;
      process.kill(first, 'SIGKILL');
      await eventually(
        () => collector.pid !== undefined && collector.pid !== first && collector.status()!.attached,
        'the restart',
        30_000,
      );
      expect(collector.status()!.starts).toBe(2);
      const probe = net.createServer((s) => s.end());
      await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
      const destination = `127.0.0.1:${(probe.address() as net.AddressInfo).port}`;
      await runChild(
        `require('net').connect(${(probe.address() as net.AddressInfo).port}, '127.0.0.1', function () { this.end(); });`,
      );
      await eventually(
        () => value(families(), 'container_net_tcp_successful_connects_total', { destination }) === 1,
        'a connect after the restart',
      );
      probe.close();
    });
  },
);

describe.runIf(runnable)('the compiled program when its maps are too small', () => {
  afterAll(async () => {
    await collector?.stop();
  });

  it('moves to bpftrace -e with the configured map size, counting what it could not follow', async () => {
    if (!serviceGate('bpftrace-aotrt', aotRuntime, "Debian's bpftrace package ships it")) return;
    await startCollector(true);
    expect(collector.runtime).toBe('aot');
    const server = net.createServer(() => {});
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    // One more connection open at once than the compiled program's maps hold (4096 entries).
    const count = AOT_MAP_KEYS + 200;
    const script = `
      const net = require('net'); const held = []; let open = 0;
      for (let i = 0; i < ${count}; i++) {
        const s = net.connect(${port}, '127.0.0.1', () => { if (++open === ${count}) console.log('OPEN'); });
        s.on('error', (e) => { console.error(e.message); process.exit(1); });
        held.push(s);
      }
      process.stdin.on('data', () => process.exit(0));`;
    const child = spawn('sh', ['-c', `ulimit -n 20000 && exec "${process.execPath}" -e "$0"`, script], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    onTestFinished(() => {
      child.kill();
      server.close();
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('OPEN') && resolve());
      child.once('exit', (code) =>
        reject(new Error(`the child exited (${code}) before opening its connections`)),
      );
    });
    await eventually(
      () => collector.runtime === 'jit' && collector.status()?.attached === true,
      'the move',
      30_000,
    );
    const lost = collector.families().find((f) => f.name === 'vigil_node_agent_ebpf_lost_events_total');
    expect(lost!.samples[0]!.value).toBeGreaterThan(0);
    expect(readlinkSync(`/proc/${collector.pid!}/exe`)).toMatch(/\/bpftrace$/);
    // Under bpftrace -e the maps have the configured size, and connections are counted again.
    const info = readdirSync(`/proc/${collector.pid!}/fdinfo`).map((fd) =>
      readFileSync(`/proc/${collector.pid!}/fdinfo/${fd}`, 'utf8'),
    );
    expect(info.some((i) => /max_entries:\s+16384/.test(i))).toBe(true);
    child.stdin!.write('x');
    await runChild(`require('net').connect(${port}, '127.0.0.1', function () { this.end(); });`);
    await eventually(
      () =>
        (value(families(), 'container_net_tcp_successful_connects_total', {
          destination: `127.0.0.1:${port}`,
        }) ?? 0) >= 1,
      'a connect under bpftrace -e',
    );
  });
});

describe.runIf(runnable)('eBPF OOM kills', () => {
  beforeAll(async () => {
    await startCollector(true);
  });
  afterAll(async () => {
    await collector?.stop();
  });

  const dir = `/sys/fs/cgroup/memory/vigil-oom-${process.pid}`;
  afterAll(() => {
    if (existsSync(dir)) {
      try {
        rmdirSync(dir);
      } catch {
        // a process may still be leaving it
      }
    }
  });

  it('counts an OOM kill for the container of the victim', async () => {
    if (!existsSync('/sys/fs/cgroup/memory/cgroup.procs'))
      throw new Error('no v1 memory controller at /sys/fs/cgroup/memory');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'memory.limit_in_bytes'), String(96 * 1024 * 1024));
    // The child moves itself into the group, then holds more than the limit.
    const { code, pid } = await runChild(`
      require('fs').writeFileSync(${JSON.stringify(`${dir}/cgroup.procs`)}, String(process.pid));
      const held = []; for (;;) held.push(Buffer.alloc(8 << 20, 1));`);
    expect(code).not.toBe(0);
    await eventually(() => ooms.includes(pid), `the OOM kill of ${pid}`);
    // The victim ran node outside any container: its application is /host/node.
    expect(
      value(registry.families(), 'container_oom_kills_total', { container_id: '/host/node' }),
    ).toBeGreaterThanOrEqual(1);
    expect(readFileSync(path.join(dir, 'memory.oom_control'), 'utf8')).toMatch(/oom_kill [1-9]/);
  });
});

describe.runIf(runnable)('bpftrace lifetime', () => {
  it('ends when the process that started it is killed with SIGKILL', async () => {
    const { dir, cleanup } = makeTempDir('vigil-ebpf-orphan');
    onTestFinished(cleanup);
    const script = path.join(dir, 'owner.mts');
    writeFileSync(
      script,
      `import { TcpTracker } from ${JSON.stringify(path.join(here, '../connections/tcp-tracker.ts'))};
       import { EbpfCollector } from ${JSON.stringify(path.join(here, 'ebpf-collector.ts'))};
       const c = new EbpfCollector({ tracker: new TcpTracker(() => '/host/x'), dumpSeconds: 1, onOomKill: () => {} });
       const err = await c.start();
       console.log(err ?? 'PID ' + c.pid);
       setInterval(() => {}, 1000);`,
    );
    const owner = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve) =>
      owner.stdout!.once('data', (d: Buffer) => resolve(d.toString())),
    );
    const match = /PID (\d+)/.exec(line);
    expect(match, line).not.toBeNull();
    const bpftracePid = Number(match![1]);
    expect(existsSync(`/proc/${bpftracePid}`)).toBe(true);
    owner.kill('SIGKILL');
    await eventually(
      () =>
        !existsSync(`/proc/${bpftracePid}`) ||
        readFileSync(`/proc/${bpftracePid}/stat`, 'utf8').includes(') Z'),
      'bpftrace to exit',
      20_000,
    );
  });
});

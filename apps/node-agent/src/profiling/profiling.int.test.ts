/**
 * CPU profiling end to end: the profiling facade (real bpftrace, 1 s rounds, 3 s periods) pushes
 * to a real Vigil server (in-process, embedded chDB) while two real processes burn CPU in
 * functions with distinctive names: a C program compiled here by gcc, Node.js run with
 * `--perf-basic-prof` (JIT frames named from its perf map), and a JVM (perf map written by
 * `jcmd <pid> Compiler.perfmap`; a service gate like the others where no JDK is installed). Each process's flame graph, read
 * back through the server's API, must be dominated by its function.
 *
 * The processes run on the host, outside containers; as the agent's registry does for host
 * processes (host-apps.ts), each is its own application named after its program, `/host/<comm>`.
 * Both executables get distinctive names (the Node.js one is a symlink to node) so that no other
 * process on the machine shares their application.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { realpathSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { silentLogger } from '@vigil/core';
import type { FlameGraphNode, FlameGraphResponse, ProfileTypesResponse } from '@vigil/spec';
import { makeTempDir, serviceGate } from '@vigil/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ebpfGate } from '../ebpf/testing/ebpf-gate.ts';
import { INGEST_KEY, startVigilServer, type VigilServer } from '../logs/testing/vigil-server.ts';
import { startNodeProfiling, type NodeProfiling } from './node-profiling.ts';
import {
  C_FUNCTION,
  compileBurner,
  compileJavaBurner,
  JAVA_METHOD,
  JS_FUNCTION,
  writeJsBurner,
} from './testing/burn-programs.ts';

const runnable = ebpfGate();
const C_PROGRAM = 'vigil-burn-c';
const JS_PROGRAM = 'vigil-burn-js';
const JVM_PROGRAM = 'vigil-burn-jvm';
const TYPE = 'ebpf:cpu:nanoseconds';

function javaInstalled(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v java && command -v javac && command -v jcmd'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let server: VigilServer;
let profiling: NodeProfiling;
let tmp: { dir: string; cleanup: () => void };
const children: ChildProcess[] = [];
const startedMs = Date.now();
/** Every pid the profiler attributed samples to. */
const sampledPids = new Set<number>();

async function startBurner(command: string, args: string[]): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await once(createInterface({ input: child.stdout! }), 'line');
  return child;
}

beforeAll(async () => {
  if (!runnable) return;
  tmp = makeTempDir('vigil-profiling-');
  server = await startVigilServer();
  const started = await startNodeProfiling({
    logger: silentLogger,
    version: 'test',
    containerOf: (pid, comm) => {
      sampledPids.add(pid);
      return `/host/${comm || 'unknown'}`;
    },
    appIdOf: (containerId) => containerId,
    push: {
      collectorUrl: server.url,
      apiKey: INGEST_KEY,
      spoolDir: path.join(tmp.dir, 'spool'),
      backoff: { initialMs: 200, maxMs: 1000 },
    },
    periodMs: 3000,
    dumpSeconds: 1,
    // Short, so that the test also sees bpftrace restarted (a new set of stack maps) mid-run.
    restartEveryMs: 4000,
  });
  if ('unavailable' in started) throw new Error(`profiling unavailable: ${started.unavailable}`);
  profiling = started.profiling;
  await startBurner(compileBurner(tmp.dir, { name: C_PROGRAM }), []);
  const node = path.join(tmp.dir, JS_PROGRAM);
  symlinkSync(process.execPath, node);
  await startBurner(node, ['--perf-basic-prof', writeJsBurner(tmp.dir)]);
}, 120_000);

afterAll(async () => {
  if (!runnable) return;
  for (const c of children) {
    c.kill('SIGKILL');
    // Node.js (--perf-basic-prof) and jcmd write perf maps to the host's /tmp.
    rmSync(`/tmp/perf-${c.pid}.map`, { force: true });
  }
  await profiling?.stop();
  await server?.stop();
  tmp?.cleanup();
});

/** Sum of the totals of the outermost nodes whose name satisfies `match`. */
function totalOf(node: FlameGraphNode, match: (name: string) => boolean): number {
  if (match(node.name)) return node.total;
  let sum = 0;
  for (const child of node.children) sum += totalOf(child, match);
  return sum;
}

/**
 * The service's flame graph once it holds at least `minNs` of CPU time (`beforeFlush` runs
 * before each wait for a round).
 */
async function flameGraph(service: string, minNs: number, beforeFlush?: () => void): Promise<FlameGraphNode> {
  const deadline = Date.now() + 60_000;
  let last: FlameGraphResponse | undefined;
  for (;;) {
    beforeFlush?.();
    await profiling.flush();
    await server.server.forceFlush();
    const query = new URLSearchParams({
      service,
      type: TYPE,
      from: String(startedMs - 60_000),
      to: String(Date.now() + 60_000),
    });
    last = await server.getJson<FlameGraphResponse>(`/api/v1/profiles/flamegraph?${query}`);
    if (last.flamegraph.total >= minNs) return last.flamegraph;
    if (Date.now() > deadline) {
      throw new Error(
        `no ${minNs} ns of ${service} within 60 s: ${JSON.stringify(last)}; ${JSON.stringify(profiling.status())}`,
      );
    }
  }
}

const jvmRunnable =
  runnable &&
  serviceGate(
    'JDK (java, javac, jcmd)',
    javaInstalled(),
    'install the Debian package openjdk-17-jdk-headless',
  );

describe.runIf(runnable)('CPU profiling through the server', () => {
  it(`shows ${C_FUNCTION} dominating the flame graph of a C program burning CPU in it`, async () => {
    const graph = await flameGraph(`/host/${C_PROGRAM}`, 2e9);
    const inFunction = totalOf(graph, (name) => name === C_FUNCTION);
    expect(inFunction / graph.total).toBeGreaterThan(0.5);
    // The caller is named too (frame pointers kept, in leaf functions as well).
    expect(JSON.stringify(graph)).toContain('"name":"main"');
  }, 90_000);

  it(`shows ${JS_FUNCTION} dominating the flame graph of Node.js run with --perf-basic-prof`, async () => {
    const graph = await flameGraph(`/host/${JS_PROGRAM}`, 2e9);
    const inFunction = totalOf(graph, (name) => name.includes(JS_FUNCTION));
    expect(inFunction / graph.total).toBeGreaterThan(0.5);
  }, 90_000);

  it.runIf(jvmRunnable)(
    `shows ${JAVA_METHOD} dominating the flame graph of a JVM whose perf map jcmd writes`,
    async () => {
      const java = path.join(tmp.dir, JVM_PROGRAM);
      symlinkSync(
        realpathSync(execFileSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' }).trim()),
        java,
      );
      compileJavaBurner(tmp.dir);
      const jvm = await startBurner(java, ['-cp', tmp.dir, 'Burn']);
      // A JVM writes no perf map by itself: `jcmd <pid> Compiler.perfmap` writes a snapshot of its
      // code cache (as perf-map-agent does), rewritten whole each time.
      const snapshot = () => execFileSync('jcmd', [String(jvm.pid), 'Compiler.perfmap'], { stdio: 'ignore' });
      const graph = await flameGraph(`/host/${JVM_PROGRAM}`, 2e9, snapshot);
      const inMethod = totalOf(graph, (name) => name.includes(`Burn.${JAVA_METHOD}`));
      expect(inMethod / graph.total).toBeGreaterThan(0.5);
    },
    90_000,
  );

  it('keeps profiling across its planned restarts of bpftrace', async () => {
    const deadline = Date.now() + 60_000;
    while (profiling.status().restarts < 1 || !profiling.status().bpftrace.attached) {
      if (Date.now() > deadline) throw new Error(`no restart: ${JSON.stringify(profiling.status())}`);
      await profiling.flush();
    }
    const before = profiling.status().samples;
    await profiling.flush();
    await profiling.flush();
    expect(profiling.status().samples).toBeGreaterThan(before);
    expect(profiling.status().bpftrace.starts).toBeGreaterThan(1);
  }, 90_000);

  it('lists the eBPF CPU profile type for the service, and counts what it sent', async () => {
    const types = await server.getJson<ProfileTypesResponse>(
      `/api/v1/profiles/types?service=${encodeURIComponent(`/host/${C_PROGRAM}`)}`,
    );
    expect(types.types).toContain(TYPE);
    // This profiler restarts bpftrace every 4 s (restartEveryMs above): read its status between two
    // planned restarts, not in the second or two one takes under load.
    const deadline = Date.now() + 30_000;
    while (!profiling.status().bpftrace.attached && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const status = profiling.status();
    expect(status.push?.sentRequests).toBeGreaterThan(0);
    expect(status.push?.droppedInvalidItems).toBe(0);
    expect(status.bpftrace.attached).toBe(true);
    // The profiler's own processes are not sampled; the burners are.
    expect(sampledPids.has(process.pid)).toBe(false);
    expect(sampledPids.has(status.bpftrace.pid!)).toBe(false);
    for (const child of children) expect(sampledPids.has(child.pid!)).toBe(true);
  });
});

/**
 * Container resources read from real cgroups this test makes: a child process limited to half
 * a core and 256 MiB spins and holds 64 MB, and its cgroup files must say so (v1 controllers,
 * as on this project's machines; the v2 `cpu.stat` of a v2 group too).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { serviceGate } from '@vigil/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { parseProcCgroup } from '../discovery/proc-cgroup.ts';
import { detectLayout, readContainerResources } from './container-resources.ts';

const BASE = '/sys/fs/cgroup';
const NAME = `vigil-test-${process.pid}`;
const made: string[] = [];
let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill('SIGKILL');
  // A cgroup can be removed once its processes are gone; give the kill a moment.
  const deadline = Date.now() + 5000;
  for (const dir of made.reverse()) {
    for (;;) {
      try {
        rmdirSync(dir);
        break;
      } catch {
        if (Date.now() > deadline) break;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
      }
    }
  }
});

function group(controller: string): string {
  const dir = path.join(BASE, controller, NAME);
  mkdirSync(dir);
  made.push(dir);
  return dir;
}

const canWriteCgroups = (): boolean => {
  if (process.getuid?.() !== 0) return false;
  return ['cpu', 'cpuacct', 'memory'].every((c) => existsSync(path.join(BASE, c, 'cgroup.procs')));
};

describe('readContainerResources on real cgroups', () => {
  it('reports a half-core limit, usage near it, throttling, a 256 MiB limit and the memory held', async () => {
    if (
      !serviceGate(
        'root and writable cgroup v1 cpu/cpuacct/memory hierarchies',
        canWriteCgroups(),
        'run as root on a v1 or hybrid host',
      )
    ) {
      return;
    }
    const cpu = group('cpu');
    const cpuacct = group('cpuacct');
    const memory = group('memory');
    writeFileSync(path.join(cpu, 'cpu.cfs_period_us'), '100000');
    writeFileSync(path.join(cpu, 'cpu.cfs_quota_us'), '50000');
    writeFileSync(path.join(memory, 'memory.limit_in_bytes'), String(256 * 1024 * 1024));
    // Waits to be moved (a line on stdin), then holds 64 MB and spins for 3 s.
    child = spawn(
      process.execPath,
      [
        '-e',
        `process.stdin.once('data', () => {
           const held = Buffer.alloc(64 * 1024 * 1024, 1);
           const end = Date.now() + 3000;
           while (Date.now() < end) held[Math.floor(Math.random() * held.length)]++;
           process.stdout.write('done\\n');
           setInterval(() => held[0]++, 1000);
         });`,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const pid = child.pid!;
    for (const dir of [cpu, cpuacct, memory]) writeFileSync(path.join(dir, 'cgroup.procs'), String(pid));
    const finished = new Promise<void>((resolve) => child!.stdout!.once('data', () => resolve()));
    child.stdin!.write('go\n');
    await finished;

    const paths = parseProcCgroup(readFileSync(`/proc/${pid}/cgroup`, 'utf8'));
    expect(paths.get('cpu')).toBe(`/${NAME}`);
    const resources = await readContainerResources(paths, await detectLayout(BASE));
    expect(resources.cpuLimitCores).toBe(0.5);
    // 3 s at half a core: at most ~1.5 s of CPU (less when other tests hold the cores), and
    // throttled in the periods it used up its quota.
    expect(resources.cpuUsageSeconds).toBeGreaterThan(0.3);
    expect(resources.cpuUsageSeconds).toBeLessThan(1.7);
    expect(resources.cpuThrottledSeconds).toBeGreaterThan(0.1);
    expect(resources.memoryLimitBytes).toBe(256 * 1024 * 1024);
    expect(resources.memoryRssBytes).toBeGreaterThan(60 * 1024 * 1024);
    expect(resources.memoryRssBytes).toBeLessThan(256 * 1024 * 1024);
  }, 30_000);

  it('reads a v2 group’s cpu.stat when the process has no v1 cpuacct group', async () => {
    const layout = await detectLayout(BASE);
    const available = process.getuid?.() === 0 && layout.v2Root !== undefined;
    if (!serviceGate('root and a cgroup v2 hierarchy', available, 'run as root on a v2 or hybrid host'))
      return;
    const dir = path.join(layout.v2Root!, NAME);
    mkdirSync(dir);
    made.push(dir);
    const spinner = spawn(process.execPath, [
      '-e',
      `process.stdin.once('data', () => { const end = Date.now() + 1000; while (Date.now() < end); process.stdout.write('done\\n'); setInterval(() => {}, 1000); });`,
    ]);
    try {
      writeFileSync(path.join(dir, 'cgroup.procs'), String(spinner.pid));
      const finished = new Promise<void>((resolve) => spinner.stdout.once('data', () => resolve()));
      spinner.stdin.write('go\n');
      await finished;
      // Only the v2 path: usage must come from the v2 group's cpu.stat.
      const resources = await readContainerResources(new Map([['', `/${NAME}`]]), layout);
      // 1 s of spinning, unlimited: most of a second unless other tests hold the cores.
      expect(resources.cpuUsageSeconds).toBeGreaterThan(0.3);
      expect(resources.cpuUsageSeconds).toBeLessThan(2.0);
      expect(resources.cpuLimitCores).toBeUndefined();
    } finally {
      spinner.kill('SIGKILL');
    }
  });
});

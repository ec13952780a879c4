/**
 * CPU pressure of a real v2 group this test makes (root): more spinning children than cores are
 * moved into it, so some of them always wait for a CPU, and the group's cpu.pressure must have
 * counted stall time, read both directly and through readContainerResources.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { serviceGate } from '@vigil/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { detectLayout, readContainerResources } from './container-resources.ts';
import { readPressure } from './pressure.ts';

const NAME = `vigil-test-psi-${process.pid}`;
const children: ChildProcess[] = [];
let group: string | undefined;

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  if (group === undefined) return;
  // The group can be removed once the killed children are gone.
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      rmdirSync(group);
      return;
    } catch {
      if (Date.now() > deadline) return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
});

/** A child that, told to go, spins for `ms` of wall time, says `done` and then idles. */
function spinner(ms: number): ChildProcess {
  const child = spawn(process.execPath, [
    '-e',
    `process.stdin.once('data', () => { const end = Date.now() + ${ms}; while (Date.now() < end); process.stdout.write('done\\n'); setInterval(() => {}, 1000); });`,
  ]);
  children.push(child);
  return child;
}

describe('cpu.pressure of a real v2 group', () => {
  it('counts stall time when the group runs more spinners than there are cores', async () => {
    const layout = await detectLayout();
    const available = process.getuid?.() === 0 && layout.v2Root !== undefined;
    if (!serviceGate('root and a cgroup v2 hierarchy', available, 'run as root on a v2 or hybrid host'))
      return;
    group = path.join(layout.v2Root!, NAME);
    mkdirSync(group);
    const before = await readPressure(group);
    expect(before.cpu.some).toBe(0);

    const spinners = Array.from({ length: availableParallelism() + 1 }, () => spinner(1500));
    for (const s of spinners) writeFileSync(path.join(group, 'cgroup.procs'), String(s.pid));
    const finished = spinners.map(
      (s) => new Promise<void>((resolve) => s.stdout!.once('data', () => resolve())),
    );
    for (const s of spinners) s.stdin!.write('go\n');
    await Promise.all(finished);

    const pressure = await readPressure(group);
    expect(pressure.cpu.some).toBeGreaterThan(0);
    expect(pressure.cpu.full).toBeGreaterThanOrEqual(0);
    expect(pressure.memory.some).toBeGreaterThanOrEqual(0);
    expect(pressure.io.some).toBeGreaterThanOrEqual(0);

    const resources = await readContainerResources(new Map([['', `/${NAME}`]]), layout);
    expect(resources.pressure?.cpu.some).toBeGreaterThanOrEqual(pressure.cpu.some!);
  }, 30_000);
});

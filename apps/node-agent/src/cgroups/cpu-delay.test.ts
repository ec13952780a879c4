/**
 * CPU delay from `/proc/<pid>/task/<tid>/schedstat`: children that spin on more threads than
 * there are cores must have waited on a runqueue; the counter built from per-thread readings
 * only grows, whatever threads come and go.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { cpuDelayFamily, DelayCounter, readCpuDelaySeconds, readThreadRunDelays } from './cpu-delay.ts';

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

describe('readCpuDelaySeconds on this machine', () => {
  it('is positive for spinning children that outnumber the cores', async () => {
    const spinners = Array.from({ length: availableParallelism() + 1 }, () => {
      const child = spawn(process.execPath, [
        '-e',
        `process.stdin.once('data', () => { const end = Date.now() + 1000; while (Date.now() < end); process.stdout.write('done\\n'); setInterval(() => {}, 1000); });`,
      ]);
      children.push(child);
      return child;
    });
    const finished = spinners.map(
      (s) => new Promise<void>((resolve) => s.stdout!.once('data', () => resolve())),
    );
    for (const s of spinners) s.stdin!.write('go\n');
    await Promise.all(finished);

    const pids = spinners.map((s) => s.pid!);
    const delay = await readCpuDelaySeconds(pids);
    expect(delay).toBeGreaterThan(0);
    // Seconds, not ns: a few spinners of 1 s each cannot have waited a minute.
    expect(delay).toBeLessThan(60);
    // Node runs several threads per process (libuv pool, V8 helpers): all are read.
    const threads = await readThreadRunDelays(pids);
    expect(threads.size).toBeGreaterThan(pids.length);
    for (const pid of pids) expect(threads.has(pid)).toBe(true);
  }, 30_000);

  it('is 0 for processes that are gone', async () => {
    expect(await readCpuDelaySeconds([2 ** 22 + 1])).toBe(0);
  });
});

/** Per container: [thread id, reading] pairs. */
type Readings = Record<string, Array<[number, number]>>;

interface Case {
  readonly name: string;
  readonly steps: readonly Readings[];
  readonly totals: ReadonlyArray<Record<string, number>>;
}

describe('DelayCounter', () => {
  const step = (counter: DelayCounter, readings: Readings): Record<string, number> =>
    Object.fromEntries(counter.update(new Map(Object.entries(readings).map(([c, t]) => [c, new Map(t)]))));

  it.each<Case>([
    {
      name: 'first reading: everything the threads have',
      steps: [
        {
          a: [
            [1, 10],
            [2, 5],
          ],
        },
      ],
      totals: [{ a: 15 }],
    },
    {
      name: 'growth only, per thread',
      steps: [
        {
          a: [
            [1, 10],
            [2, 5],
          ],
        },
        {
          a: [
            [1, 12],
            [2, 9],
          ],
        },
      ],
      totals: [{ a: 15 }, { a: 21 }],
    },
    {
      name: 'a thread that exits keeps what it added',
      steps: [
        {
          a: [
            [1, 10],
            [2, 5],
          ],
        },
        { a: [[1, 11]] },
      ],
      totals: [{ a: 15 }, { a: 16 }],
    },
    {
      name: 'a new thread adds all it has',
      steps: [
        { a: [[1, 10]] },
        {
          a: [
            [1, 10],
            [3, 7],
          ],
        },
      ],
      totals: [{ a: 10 }, { a: 17 }],
    },
    {
      name: 'a reused thread id (lower value) counts as new',
      steps: [{ a: [[1, 10]] }, { a: [[1, 4]] }],
      totals: [{ a: 10 }, { a: 14 }],
    },
    {
      name: 'a container absent from an update is forgotten and starts again',
      steps: [{ a: [[1, 10]], b: [[2, 1]] }, { b: [[2, 2]] }, { a: [[1, 10]], b: [[2, 2]] }],
      totals: [{ a: 10, b: 1 }, { b: 2 }, { a: 10, b: 2 }],
    },
  ])('$name', ({ steps, totals }) => {
    const counter = new DelayCounter();
    expect(steps.map((s) => step(counter, s))).toEqual(totals);
  });
});

describe('cpuDelayFamily', () => {
  it('writes one counter sample per container', () => {
    expect(
      cpuDelayFamily([{ labels: { container_id: '/docker/a', app_id: '/docker/a' }, seconds: 1.25 }]),
    ).toEqual({
      name: 'container_resources_cpu_delay_seconds_total',
      type: 'counter',
      help: 'Time the container’s threads were runnable but waited for a CPU',
      samples: [{ labels: { container_id: '/docker/a', app_id: '/docker/a' }, value: 1.25 }],
    });
  });
});

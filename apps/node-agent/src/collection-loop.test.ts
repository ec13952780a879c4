import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startCollectionLoop, type CollectionLoop } from './collection-loop.ts';

/** Ends of the cycles still running, so that each test can stop its loop. */
const unfinished: Array<() => void> = [];

/** Cycles that end only when the test says so, each remembering the time it was handed. */
function controlledCycles(): {
  runCycle: (startedAtMs: number) => Promise<number>;
  starts: number[];
  finish: (index: number) => Promise<void>;
} {
  const starts: number[] = [];
  const ends: Array<() => void> = [];
  return {
    starts,
    runCycle: (startedAtMs) => {
      starts.push(startedAtMs);
      return new Promise<number>((resolve) => {
        ends.push(() => resolve(startedAtMs));
        unfinished.push(() => resolve(startedAtMs));
      });
    },
    finish: async (index) => {
      ends[index]!();
      // Let the loop's promise chain run (fake timers do not advance microtasks on their own).
      await vi.advanceTimersByTimeAsync(0);
    },
  };
}

describe('startCollectionLoop', () => {
  let loop: CollectionLoop<number> | undefined;
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(async () => {
    vi.useRealTimers();
    const stopped = loop?.stop();
    for (const end of unfinished.splice(0)) end();
    await stopped;
    loop = undefined;
  });

  it('runs one cycle per interval, handing each the time it started', async () => {
    const cycles = controlledCycles();
    loop = startCollectionLoop({ intervalMs: 1000, runCycle: cycles.runCycle, onError: () => {} });
    await vi.advanceTimersByTimeAsync(1000);
    await cycles.finish(0);
    await vi.advanceTimersByTimeAsync(1000);
    await cycles.finish(1);
    expect(cycles.starts).toEqual([1000, 2000]);
  });

  it('runs the tick that came during an overrunning cycle as soon as that cycle ends', async () => {
    const cycles = controlledCycles();
    loop = startCollectionLoop({ intervalMs: 1000, runCycle: cycles.runCycle, onError: () => {} });
    await vi.advanceTimersByTimeAsync(1000);
    // The cycle of t=1000 is still running at the tick of t=2000: no second cycle at once.
    await vi.advanceTimersByTimeAsync(1500);
    expect(cycles.starts).toEqual([1000]);
    // It ends at t=2500; the tick of t=2000 is not lost but runs now, not at t=3000.
    await cycles.finish(0);
    expect(cycles.starts).toEqual([1000, 2500]);
    await cycles.finish(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(cycles.starts).toEqual([1000, 2500, 3000]);
  });

  it('queues at most one cycle behind the running one, and trigger resolves with its result', async () => {
    const cycles = controlledCycles();
    loop = startCollectionLoop({ intervalMs: 1000, runCycle: cycles.runCycle, onError: () => {} });
    const first = loop.trigger();
    const second = loop.trigger();
    const third = loop.trigger();
    expect(second).toBe(third);
    await cycles.finish(0);
    await cycles.finish(1);
    expect(cycles.starts).toEqual([0, 0]);
    await expect(first).resolves.toBe(0);
    await expect(second).resolves.toBe(0);
  });

  it('reports a failed timer cycle and keeps ticking', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    loop = startCollectionLoop({
      intervalMs: 1000,
      runCycle: async () => {
        calls++;
        if (calls === 1) throw new Error('procfs vanished');
        return calls;
      },
      onError: (err) => errors.push(err),
    });
    await vi.advanceTimersByTimeAsync(2000);
    expect(errors.map((e) => (e as Error).message)).toEqual(['procfs vanished']);
    expect(calls).toBe(2);
  });

  it('stops ticking once stopped', async () => {
    let calls = 0;
    loop = startCollectionLoop({
      intervalMs: 1000,
      runCycle: async () => ++calls,
      onError: () => {},
    });
    await loop.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toBe(0);
  });
});

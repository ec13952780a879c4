import { describe, expect, it } from 'vitest';
import { decodePprof } from '@vigil/protocols';
import { cpuProfileToPprof } from './cpuprofile-to-pprof.ts';

const frame = (functionName: string, lineNumber = 0, url = 'file:///app.js') => ({
  functionName,
  url,
  lineNumber,
});

// (root) → main → { hot, (idle) }, with (program) beside main.
const profile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', -1, ''), children: [2, 5, 6] },
    { id: 2, callFrame: frame('main', 0), children: [3, 4] },
    { id: 3, callFrame: frame('hot', 9) },
    { id: 4, callFrame: frame('', 20) },
    { id: 5, callFrame: frame('(idle)', -1, '') },
    { id: 6, callFrame: frame('(program)', -1, '') },
  ],
  startTime: 1_000,
  endTime: 1_000 + 10_000,
  // ticks at +1000, +2000, … µs; the last runs to endTime.
  samples: [3, 3, 3, 4, 5, 5, 6, 3, 2],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
};

describe('cpuProfileToPprof', () => {
  it('gives each tick the time until the next one, drops idle ticks, names frames with 1-based lines', () => {
    const p = decodePprof(cpuProfileToPprof(profile, 1_700_000_000_000_000_000n), {
      maxDecompressedBytes: 1 << 20,
    });
    expect(p.types).toEqual(['cpu:nanoseconds', 'samples:count']);
    expect(p.timeNanos).toBe(1_700_000_000_000_000_000n);
    expect(p.durationNanos).toBe(10_000_000n);
    const byStack = new Map(p.stacks.map((s) => [s.frames.join(';'), s.values]));
    expect(byStack.get('main file:///app.js:1;hot file:///app.js:10')).toEqual([4_000_000, 4]);
    expect(byStack.get('main file:///app.js:1;(anonymous) file:///app.js:21')).toEqual([1_000_000, 1]);
    expect(byStack.get('(program)')).toEqual([1_000_000, 1]);
    // The last tick (main) runs from +9000 µs to endTime (+10000 µs).
    expect(byStack.get('main file:///app.js:1')).toEqual([1_000_000, 1]);
    expect([...byStack.keys()].some((k) => k.includes('(idle)'))).toBe(false);
  });

  it('refuses something that is not a .cpuprofile', () => {
    expect(() => cpuProfileToPprof({ nodes: [] }, 0n)).toThrow(/not a V8 .cpuprofile/);
  });
});

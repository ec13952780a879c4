import { describe, expect, it } from 'vitest';
import { silentLogger } from '@vigil/core';
import { Engine, labelsOf, MemorySeriesSource } from '@vigil/promql';
import { QueryRegistry } from './query-registry.ts';
import { DEFAULT_CACHE_QUERIES } from './default-queries.ts';
import { detectStepMs, modalIntervalMs, roundInterval, stepCandidates } from './step-detection.ts';

/** `n` timestamps `stepMs` apart with a deterministic jitter of up to ±`jitterMs`. */
function scrapes(n: number, stepMs: number, jitterMs = 0, startMs = 1_800_000_000_000): number[] {
  return Array.from({ length: n }, (_, i) => startMs + i * stepMs + (((i * 7919) % 11) - 5) * (jitterMs / 5));
}

describe('roundInterval', () => {
  it.each([
    [14_980, 15_000],
    [15_400, 15_000],
    [1_003, 1_000],
    [960, 1_000],
    [2_049, 2_000],
    [250, 300],
  ])('rounds %i ms to %i ms', (gap, rounded) => {
    expect(roundInterval(gap)).toBe(rounded);
  });
});

describe('modalIntervalMs', () => {
  it.each<[string, number[][], number | undefined]>([
    ['a regular 15 s scrape', [scrapes(40, 15_000)], 15_000],
    [
      '15 s with ±200 ms jitter',
      [scrapes(40, 15_000, 200), scrapes(40, 15_000, 200, 1_800_000_003_000)],
      15_000,
    ],
    ['1 s test agents', [scrapes(20, 1_000, 20)], 1_000],
    [
      '30 s with missed scrapes (double gaps)',
      [[0, 30_000, 90_000, 120_000, 180_000, 210_000, 240_000]],
      30_000,
    ],
    ['a tie between 10 s and 20 s goes to the smaller', [[0, 10_000, 20_000, 40_000, 60_000]], 10_000],
    [
      'too few samples',
      [
        [0, 15_000],
        [0, 15_000],
      ],
      undefined,
    ],
    ['no samples at all', [], undefined],
    ['sub-second intervals are refused', [scrapes(20, 200)], undefined],
  ])('%s', (_name, series, expected) => {
    expect(modalIntervalMs(series)).toBe(expected);
  });
});

describe('stepCandidates', () => {
  it('tries up, then node metrics, then the rest of the registry metrics', () => {
    const names = stepCandidates(new QueryRegistry(DEFAULT_CACHE_QUERIES).all());
    expect(names[0]).toBe('up');
    expect(names[1]).toMatch(/^node_/);
    expect(names).toContain('node_resources_cpu_usage_seconds_total');
    const firstOther = names.findIndex((n) => !n.startsWith('node_') && n !== 'up');
    expect(names.slice(1, firstOther).every((n) => n.startsWith('node_'))).toBe(true);
    expect(names).toContain('container_net_tcp_retransmits_total');
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('detectStepMs', () => {
  const now = 1_800_000_600_000;
  const series = (name: string, stepMs: number) => {
    const ts = scrapes(Math.floor(600_000 / stepMs), stepMs, 0, now - 590_000);
    return {
      labels: labelsOf({ __name__: name, instance: 'a' }),
      timestampsMs: ts,
      values: ts.map((_, i) => i),
    };
  };

  it('reads the interval of the first candidate with data, through the PromQL engine', async () => {
    const engine = new Engine(
      new MemorySeriesSource([series('node_cpu', 10_000), series('container_cpu', 5_000)]),
    );
    expect(await detectStepMs(engine, ['up', 'node_cpu', 'container_cpu'], now, silentLogger)).toBe(10_000);
  });

  it('is undefined when no candidate has samples', async () => {
    const engine = new Engine(new MemorySeriesSource([series('other', 10_000)]));
    expect(await detectStepMs(engine, ['up', 'node_cpu'], now, silentLogger)).toBeUndefined();
  });

  it('skips a candidate whose query fails', async () => {
    const engine = new Engine(new MemorySeriesSource([series('node_cpu', 30_000)]));
    const failing = {
      instantQuery: (q: string, t: number) =>
        q.startsWith('up') ? Promise.reject(new Error('backend down')) : engine.instantQuery(q, t),
    };
    expect(await detectStepMs(failing, ['up', 'node_cpu'], now, silentLogger)).toBe(30_000);
  });
});

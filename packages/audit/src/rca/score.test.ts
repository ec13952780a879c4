import { constantSeries, emptySeries, gridFor, type TimeSeries } from '@vigil/model';
import { describe, expect, it } from 'vitest';
import { rankCauses, scoreCandidate, type RcaResult } from './score.ts';
import { candidateOf } from './testing/candidate.ts';
import { MIN, ramp, spikes, step, synthetic } from './testing/synthetic.ts';
import type { CauseCandidate, CandidateKind, SignalDirection } from './types.ts';

// Two hours at 30 s; the user selected 80–100 min; the error rate rises at 82 min.
const grid = gridFor(0, 120 * MIN, 30_000);
const window = { fromMs: 80 * MIN, toMs: 100 * MIN };
const options = { symptomTitle: 'the error rate' };

function errorRate(gapEvery?: number): TimeSeries {
  const effects = [step(82 * MIN, 5, 100 * MIN)];
  return synthetic(grid, { level: 0.5, noise: 0.1, seed: 11, effects, ...(gapEvery ? { gapEvery } : {}) });
}

/** Signals that must not rank first, whatever the cause. */
function distractors(): CauseCandidate[] {
  return [
    // An anomaly, but an hour before the window.
    candidateOf(
      'memory_usage',
      synthetic(grid, { level: 50, noise: 2, seed: 21, effects: [step(30 * MIN, 30, 45 * MIN)] }),
      { app: 'cache' },
    ),
    // In the window, but 10 min after the symptom started: a consequence, not a cause.
    candidateOf(
      'node_disk_io',
      synthetic(grid, { level: 0.1, noise: 0.02, seed: 22, effects: [step(92 * MIN, 0.6, 100 * MIN)] }),
      { app: 'postgres', depth: 2 },
    ),
    // Loud but unrelated.
    candidateOf('cpu_usage', synthetic(grid, { level: 10, noise: 5, seed: 23 }), { app: 'worker' }),
    candidateOf('restarts', constantSeries(grid, 3), { app: 'batch' }),
  ];
}

const causes: Array<[string, CandidateKind, TimeSeries, SignalDirection]> = [
  [
    'CPU throttling stepping up 2 min early',
    'cpu_throttling',
    synthetic(grid, { level: 0.02, noise: 0.005, seed: 31, effects: [step(80 * MIN, 0.5, 100 * MIN)] }),
    'up',
  ],
  [
    'an OOM loop (a kill every 3 steps)',
    'oom_kills',
    synthetic(grid, { level: 0, effects: [spikes(80 * MIN, 100 * MIN, 1.5 * MIN, 1)] }),
    'up',
  ],
  [
    'a new error-log pattern',
    'log_pattern',
    synthetic(grid, {
      level: 0,
      effects: [step(81 * MIN, 40, 100 * MIN), spikes(81 * MIN, 100 * MIN, MIN, 15)],
    }),
    'up',
  ],
  [
    'a disk filling up before the errors',
    'volume_usage',
    synthetic(grid, {
      level: 40,
      noise: 1,
      seed: 32,
      effects: [ramp(72 * MIN, 82 * MIN, 55), step(100 * MIN, -55)],
    }),
    'up',
  ],
  [
    'available memory falling (direction down)',
    'memory_usage',
    synthetic(grid, { level: 1000, noise: 10, seed: 33, effects: [step(80 * MIN, -600, 100 * MIN)] }),
    'down',
  ],
];

function scoreOf(result: RcaResult, id: string): number {
  return result.causes.find((c) => c.id === id)!.score;
}

describe('rankCauses', () => {
  it.each(causes)('ranks %s first, above every distractor', (_name, kind, series, direction) => {
    const cause = candidateOf(kind, series, { direction });
    const result = rankCauses(errorRate(), [...distractors(), cause], window, options);
    expect(result.causes[0]!.id).toBe(cause.id);
    expect(result.causes[0]!.score).toBeGreaterThan(0.4);
    for (const d of distractors()) expect(scoreOf(result, d.id)).toBeLessThan(result.causes[0]!.score - 0.3);
  });

  it('explains why each distractor is not the cause in its parts', () => {
    const result = rankCauses(errorRate(), distractors(), window, options);
    const parts = (id: string) => result.causes.find((c) => c.id === id)!.parts;
    expect(parts('memory_usage:cache').anomaly).toBeLessThan(0.05);
    expect(parts('node_disk_io:postgres').anomaly).toBeGreaterThan(0.5);
    expect(parts('node_disk_io:postgres').timing).toBe(0);
    expect(parts('node_disk_io:postgres').leadMs).toBe(-10 * MIN);
    expect(scoreOf(result, 'cpu_usage:worker')).toBeLessThan(0.05);
  });

  it('scores a constant series 0 in every part', () => {
    const { score, parts } = scoreCandidate(
      errorRate(),
      candidateOf('restarts', constantSeries(grid, 3)),
      window,
    );
    expect(score).toBe(0);
    expect(parts).toMatchObject({
      anomaly: 0,
      zScore: 0,
      correlation: 0,
      timing: 0,
      onsetMs: null,
      leadMs: null,
    });
  });

  it('copes with gaps: missed scrapes in cause and symptom change nothing, a series without data scores 0', () => {
    const cause = candidateOf(
      'cpu_throttling',
      synthetic(grid, {
        level: 0.02,
        noise: 0.005,
        seed: 31,
        gapEvery: 4,
        effects: [step(80 * MIN, 0.5, 100 * MIN)],
      }),
    );
    const empty = candidateOf('tcp_rtt', emptySeries(grid));
    const result = rankCauses(errorRate(5), [...distractors(), empty, cause], window, options);
    expect(result.causes[0]!.id).toBe(cause.id);
    expect(scoreOf(result, empty.id)).toBe(0);
    for (const c of result.causes) expect(Number.isFinite(c.score)).toBe(true);
    expect(result.causes[0]!.evidence.series.values[3]).toBeNull();
    expect(result.symptom.series.values[4]).toBeNull();
  });

  it('is deterministic: the same input, in any order, gives identical output', () => {
    const build = () => [...distractors(), candidateOf('cpu_throttling', causes[0]![2])];
    const a = rankCauses(errorRate(), build(), window, options);
    const b = rankCauses(errorRate(), build().reverse(), window, options);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('explains the top cause in one line: what rose, by how much, how long before the symptom', () => {
    const cause = candidateOf('cpu_throttling', causes[0]![2], {
      title: 'CPU throttling',
      instanceId: 'api-1',
    });
    const result = rankCauses(errorRate(), [cause], window, options);
    expect(result.symptom.onsetMs).toBe(82 * MIN);
    expect(result.causes[0]!.parts.leadMs).toBe(2 * MIN);
    expect(result.causes[0]!.explanation).toMatch(
      /^api \(api-1\): CPU throttling rose \d+(\.\d)?× 2 min before the error rate$/,
    );
    expect(result.causes[0]!.evidence.window).toEqual(window);
  });

  it('says "from 0" for a signal that was absent before', () => {
    const oom = candidateOf('oom_kills', causes[1]![2], { title: 'OOM kills', unit: 'per step' });
    expect(rankCauses(errorRate(), [oom], window, options).causes[0]!.explanation).toMatch(
      /^api: OOM kills rose from 0 per step to 0\.\d+ per step 2 min before the error rate$/,
    );
  });
});

describe('rankCauses along a dependency chain', () => {
  // One fault seen several times: postgres's disk saturates, api's queries to it slow down,
  // frontend's calls to api slow down, all from 80 min.
  const fault = (seed: number, level: number, height: number) =>
    synthetic(grid, { level, noise: level / 10, seed, effects: [step(80 * MIN, height, 100 * MIN)] });
  const frontendToApi = candidateOf('l7_latency', fault(41, 0.05, 0.5), { app: 'api', depth: 1 });
  const apiThrottling = candidateOf('cpu_throttling', fault(42, 0.02, 0.1), { app: 'api', depth: 1 });
  const apiToPostgres = candidateOf('l7_latency', fault(43, 0.01, 0.4), { app: 'postgres', depth: 2 });
  const postgresDisk = candidateOf('node_disk_io', fault(44, 0.1, 0.85), { app: 'postgres', depth: 2 });

  it('ranks the upstream cause above its downstream symptom and links the symptom to it', () => {
    const result = rankCauses(errorRate(), [frontendToApi, apiThrottling, ...distractors()], window, options);
    expect(result.causes.map((c) => c.id).slice(0, 2)).toEqual([apiThrottling.id, frontendToApi.id]);
    expect(result.causes[1]!.explainedBy).toBe(apiThrottling.id);
    expect(result.causes[0]!.explainedBy).toBeUndefined();
  });

  it('orders simultaneous members furthest upstream first: node, then edge, then the nearer edge', () => {
    const result = rankCauses(
      errorRate(),
      [frontendToApi, apiToPostgres, postgresDisk, ...distractors()],
      window,
      options,
    );
    expect(result.causes.map((c) => c.id).slice(0, 3)).toEqual([
      postgresDisk.id,
      apiToPostgres.id,
      frontendToApi.id,
    ]);
  });

  it('puts an earlier onset first even when it is nearer the symptom', () => {
    const deploy = candidateOf('deployment', synthetic(grid, { level: 0, effects: [step(78 * MIN, 1)] }), {
      app: 'frontend',
      depth: 0,
    });
    const throttling = candidateOf(
      'cpu_throttling',
      synthetic(grid, { level: 0.02, noise: 0.002, seed: 45, effects: [step(80 * MIN, 0.5)] }),
      { app: 'api', depth: 1 },
    );
    const symptom = synthetic(grid, { level: 0.5, noise: 0.1, seed: 12, effects: [step(82 * MIN, 5)] });
    const result = rankCauses(symptom, [throttling, deploy], window, options);
    expect(result.causes.map((c) => c.id)).toEqual([deploy.id, throttling.id]);
    expect(result.causes[1]!.explainedBy).toBe(deploy.id);
  });
});

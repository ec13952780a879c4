import { describe, expect, it } from 'vitest';
import { constantSeries, gridFor } from '@vigil/model';
import { findFocus, isRelay, type FocusInput } from './focus.ts';
import type { CandidateKind, CauseCandidate } from './types.ts';

const grid = gridFor(0, 600_000, 60_000);

function edge(kind: CandidateKind, from: string, to: string, callsPerRequest?: number): CauseCandidate {
  return {
    id: `${kind}:${from}->${to}`,
    kind,
    applicationId: to,
    applicationName: to,
    fromApplicationId: from,
    depth: 1,
    title: kind,
    unit: 's',
    series: constantSeries(grid, 0),
    direction: 'up',
    ...(callsPerRequest === undefined ? {} : { callsPerRequest }),
  };
}

const input = (c: CauseCandidate, score: number, correlation: number, rise: number): FocusInput => ({
  candidate: c,
  score,
  correlation,
  rise,
});

describe('findFocus', () => {
  // frontend's latency rose by 0.4 s.
  const chain = [
    input(edge('l7_latency', 'frontend', 'api'), 0.95, 0.98, 0.38),
    input(edge('l7_latency', 'api', 'postgres', 3), 0.9, 0.95, 0.1),
    input(edge('l7_latency', 'api', 'redis', 2), 0.3, 0.2, 0.001),
  ];

  it.each([
    ['follows strong, correlated edges that account for the rise', chain, ['frontend', 'api', 'postgres']],
    [
      'counts calls per request: three slower queries add three times their rise',
      [chain[0]!, input(edge('l7_latency', 'api', 'postgres', 1), 0.9, 0.95, 0.1)],
      ['frontend', 'api'],
    ],
    [
      'stops at an edge that does not move with the symptom',
      [input(edge('l7_latency', 'frontend', 'api'), 0.95, 0.5, 0.38)],
      ['frontend'],
    ],
    ['stops at a weak edge', [input(edge('l7_latency', 'frontend', 'api'), 0.2, 0.99, 0.38)], ['frontend']],
    [
      'ignores edges measuring something else (errors for a latency symptom)',
      [input(edge('l7_error_rate', 'frontend', 'api'), 0.99, 0.99, 5)],
      ['frontend'],
    ],
    [
      'does not walk a cycle',
      [
        input(edge('l7_latency', 'frontend', 'api'), 0.9, 0.9, 0.4),
        input(edge('l7_latency', 'api', 'frontend'), 0.9, 0.9, 0.4),
      ],
      ['frontend', 'api'],
    ],
  ])('%s', (_name, scored, path) => {
    const focus = findFocus('frontend', 'latency', 0.4, scored);
    expect(focus.path).toEqual(path);
    expect(focus.focus).toBe(path[path.length - 1]);
  });

  it('follows error edges by their rise alone, whatever the calls per request', () => {
    const f = findFocus('frontend', 'errors', 10, [
      input(edge('l7_error_rate', 'frontend', 'api', 5), 0.9, 0.9, 2),
    ]);
    expect(f.path).toEqual(['frontend']);
  });
});

describe('isRelay', () => {
  it('marks what belongs to applications above the focus, not the focus or others', () => {
    const focus = { path: ['frontend', 'api', 'postgres'], focus: 'postgres' };
    expect(isRelay(edge('l7_latency', 'frontend', 'api'), focus)).toBe(true);
    expect(isRelay({ ...edge('cpu_usage', 'x', 'frontend') }, focus)).toBe(true);
    expect(isRelay(edge('l7_latency', 'api', 'postgres'), focus)).toBe(false);
    expect(isRelay(edge('node_cpu', 'x', 'batch'), focus)).toBe(false);
  });
});

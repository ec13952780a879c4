import { describe, expect, it } from 'vitest';
import { edgeFailing, edgeLabel, edgeWidthPx, formatSeconds } from './edge-format.ts';
import { edge } from './test-map.ts';

describe('edgeLabel', () => {
  it.each([
    [
      'requests with errors and latency',
      edge('a', 'b', { requestsPerSecond: 120, errorRate: 0.021, latencyP95Seconds: 0.085 }),
      '120 rps · 2.1% err · p95 85 ms',
    ],
    ['no errors leaves the error out', edge('a', 'b', { requestsPerSecond: 3.14159 }), '3.1 rps · p95 20 ms'],
    [
      'thousands are grouped',
      edge('a', 'b', { requestsPerSecond: 12345.6, latencyP95Seconds: null }),
      '12,346 rps',
    ],
    [
      'a TCP-only edge tells failures and RTT',
      edge('a', 'b', { requestsPerSecond: 0, failedConnectsPerSecond: 0.5, rttSeconds: 0.002 }),
      'tcp · 0.5 failed/s · rtt 2 ms',
    ],
    [
      'figures without data are left out',
      edge('a', 'b', { requestsPerSecond: null, rttSeconds: null }),
      'tcp',
    ],
  ])('%s', (_, e, want) => expect(edgeLabel(e)).toBe(want));
});

describe('formatSeconds', () => {
  it.each([
    [0.00085, '850 µs'],
    [0.085, '85 ms'],
    [1.234, '1.2 s'],
  ])('%s s reads as %s', (s, want) => expect(formatSeconds(s)).toBe(want));
});

describe('edgeWidthPx', () => {
  it.each([
    [0, 1],
    [null, 1],
    [9, 2.5],
    [99, 4],
    [1e9, 8],
  ])('%s rps is %s px wide', (rps, want) => expect(edgeWidthPx(rps)).toBe(want));
});

describe('edgeFailing', () => {
  it.each([
    ['no errors', edge('a', 'b'), false],
    ['some errors', edge('a', 'b', { errorRate: 0.001 }), true],
    ['refused connections', edge('a', 'b', { failedConnectsPerSecond: 0.1 }), true],
    ['errors without data', edge('a', 'b', { errorRate: null }), false],
  ])('%s → %s', (_, e, want) => expect(edgeFailing(e)).toBe(want));
});

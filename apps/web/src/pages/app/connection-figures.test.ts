import { describe, expect, test } from 'vitest';
import type { ConnectionView } from '../../api/types.ts';
import { connectionFigures, connectionLabel, seriesMean } from './connection-figures.ts';

const series = (...values: Array<number | null>) => ({ fromMs: 0, stepMs: 15_000, values });
const none = series(null, null);

function connection(over: Partial<ConnectionView>): ConnectionView {
  return {
    appId: '/k8s/shop/postgres',
    protocols: ['postgres'],
    requestsPerSecond: none,
    errorsPerSecond: none,
    latencyP95Seconds: none,
    retransmitsPerSecond: none,
    failedConnectsPerSecond: none,
    ...over,
  };
}

describe('seriesMean', () => {
  test.each([
    { values: [1, 2, 3], mean: 2 },
    { values: [null, 4, null, 2], mean: 3 },
    { values: [null, null], mean: null },
    { values: [], mean: null },
  ])('$values → $mean', ({ values, mean }) => {
    expect(seriesMean(series(...values))).toBe(mean);
  });
});

describe('connection label and health', () => {
  test.each([
    {
      name: 'healthy HTTP',
      c: {
        requestsPerSecond: series(100, 300),
        errorsPerSecond: series(0, 0),
        latencyP95Seconds: series(0.04, 0.06),
      },
      label: '200 req/s · 0% errors · p95 50 ms',
      health: 'ok',
    },
    {
      name: 'failing requests',
      c: { requestsPerSecond: series(100, 100), errorsPerSecond: series(5, 15) },
      label: '100 req/s · 10% errors',
      health: 'warning',
    },
    {
      name: 'plain TCP with failed connects and retransmits',
      c: { protocols: [], failedConnectsPerSecond: series(0.5, 1.5), retransmitsPerSecond: series(2, null) },
      label: 'TCP · 1/s failed connects · 2/s retransmits',
      health: 'critical',
    },
    { name: 'no traffic figures at all', c: {}, label: 'TCP', health: 'ok' },
  ] as const)('$name: "$label", $health', ({ c, label, health }) => {
    const f = connectionFigures(connection(c));
    expect(connectionLabel(f)).toBe(label);
    expect(f.health).toBe(health);
  });
});

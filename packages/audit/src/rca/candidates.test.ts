import { constantSeries, emptySeries, gridFor, seriesFromPoints, timeAt, type World } from '@vigil/model';
import { describe, expect, it } from 'vitest';
import { collectCandidates, upstreamDepths } from './candidates.ts';
import { MIN, step, synthetic } from './testing/synthetic.ts';
import { buildWorld, l7Traffic } from './testing/world-builder.ts';

// frontend → api → postgres → backup → archive, plus postgres → frontend closing a cycle.
const grid = gridFor(0, 60 * MIN, MIN);
const c = (v: number) => constantSeries(grid, v);
const counter = (values: number[]) =>
  seriesFromPoints(
    grid,
    values.map((_, i) => timeAt(grid, i)),
    values,
  );

function world(): World {
  return buildWorld(
    grid,
    [
      {
        id: 'frontend',
        instances: [
          {
            id: 'fe-1',
            node: 'n1',
            cpuUsageCores: c(0.3),
            runtime: {
              jvmSafepointSeconds: emptySeries(grid),
              pythonGilWaitSeconds: emptySeries(grid),
              nodejsEventLoopBlockedSeconds: c(0.02),
            },
            logs: {
              byLevel: new Map(),
              patterns: new Map([
                ['h-err', { level: 'error', sample: 'upstream timed out', messages: c(2) }],
                ['h-warn', { level: 'warning', sample: 'slow request', messages: c(5) }],
              ]),
            },
            connections: [
              {
                toApp: 'api',
                l7: new Map([['http', l7Traffic(grid, 100, c(0.02), c(2))]]),
                tcp: { rttSeconds: c(0.001), retransmits: c(0.1) },
              },
            ],
          },
        ],
      },
      {
        id: 'api',
        instances: [
          {
            id: 'api-1',
            node: 'n2',
            cpuUsageCores: c(0.5),
            cpuLimitCores: c(2),
            cpuThrottled: c(0.01),
            memoryRssBytes: c(256e6),
            memoryLimitBytes: c(512e6),
            memoryPressure: c(0.01),
            oomKills: counter([0, 0, 1, 1, 2]),
            restarts: counter([3, 3, 3]),
            connections: [
              {
                toApp: 'postgres',
                l7: new Map([['postgres', l7Traffic(grid, 50, c(0.004), c(10), 'failed')]]),
                tcp: { failedConnects: synthetic(grid, { level: 0, effects: [step(30 * MIN, 1)] }) },
              },
            ],
          },
        ],
      },
      {
        id: 'postgres',
        instances: [
          {
            id: 'pg-1',
            node: 'n2',
            diskDelay: c(0.05),
            volumes: [{ mountPoint: '/data', device: 'sda', usedBytes: c(50e9), sizeBytes: c(100e9) }],
            connections: [
              { toApp: 'frontend', tcp: { rttSeconds: c(0.002) } },
              { toApp: 'backup', tcp: { rttSeconds: c(0.01) } },
            ],
          },
        ],
      },
      {
        id: 'backup',
        instances: [
          {
            id: 'bk-1',
            node: 'n3',
            cpuUsageCores: c(0.1),
            connections: [{ toApp: 'archive', tcp: { rttSeconds: c(0.1) } }],
          },
        ],
      },
      { id: 'archive', kind: 'external' },
      { id: 'unrelated', instances: [{ id: 'un-1', node: 'n4', cpuUsageCores: c(1) }] },
    ],
    [
      { name: 'n1', cpuUsagePercent: c(20) },
      { name: 'n2', cpuUsagePercent: c(30), diskIoTime: new Map([['sda', c(0.2)]]) },
      { name: 'n3', cpuUsagePercent: c(5) },
      { name: 'n4', cpuUsagePercent: c(90) },
    ],
  );
}

const deployments = [
  { applicationId: 'api', atMs: 30 * MIN, description: 'api:1.4 → api:1.5' },
  { applicationId: 'unrelated', atMs: 20 * MIN, description: 'x' },
  { applicationId: 'api', atMs: 90 * MIN, description: 'after the grid' },
];

describe('collectCandidates', () => {
  it('finds the signals of the application, its upstreams up to depth 3, their edges and nodes (warnings and unreached apps aside)', () => {
    const ids = collectCandidates(world(), 'frontend', { deployments }).map((x) => x.id);
    expect([...ids].sort()).toEqual(
      [
        'cpu_usage:frontend:fe-1',
        'runtime_pause:frontend:fe-1:nodejs',
        'log_pattern:frontend:h-err',
        'node_cpu:frontend:n1',
        'l7_error_rate:frontend->api:http',
        'l7_latency:frontend->api:http',
        'tcp_rtt:frontend->api',
        'tcp_retransmits:frontend->api',
        'cpu_usage:api:api-1',
        'cpu_throttling:api:api-1',
        'memory_usage:api:api-1',
        'memory_pressure:api:api-1',
        'oom_kills:api:api-1',
        'restarts:api:api-1',
        'node_cpu:api:n2',
        'node_disk_io:api:n2:sda',
        'deployment:api:1800000',
        'l7_error_rate:api->postgres:postgres',
        'l7_latency:api->postgres:postgres',
        'tcp_failed_connects:api->postgres',
        'disk_delay:postgres:pg-1',
        'volume_usage:postgres:pg-1:/data',
        'volume_fill_rate:postgres:pg-1:/data',
        'tcp_rtt:postgres->backup',
        'cpu_usage:backup:bk-1',
        'node_cpu:backup:n3',
      ].sort(),
    );
  });

  it('attributes an edge to the application being called, at its depth', () => {
    const byId = new Map(collectCandidates(world(), 'frontend').map((x) => [x.id, x]));
    expect(byId.get('l7_latency:frontend->api:http')).toMatchObject({
      applicationId: 'api',
      fromApplicationId: 'frontend',
      depth: 1,
      unit: 's',
      title: 'HTTP latency p95 (calls from frontend)',
    });
    expect(byId.get('tcp_rtt:postgres->backup')?.depth).toBe(3);
    expect(byId.get('cpu_throttling:api:api-1')).toMatchObject({ instanceId: 'api-1', depth: 1 });
  });

  it('derives the values: error %, p95 from buckets, usage of limit, OOM kills over a quarter hour', () => {
    const byId = new Map(collectCandidates(world(), 'frontend').map((x) => [x.id, x]));
    const at = (id: string, i: number) => byId.get(id)!.series.values[i];
    expect(at('l7_error_rate:frontend->api:http', 10)).toBeCloseTo(2, 9);
    expect(at('l7_error_rate:api->postgres:postgres', 10)).toBeCloseTo(10, 9);
    // Exponential latencies with mean 20 ms: 91.8% under 50 ms, 99.3% under 100 ms, so the
    // interpolated p95 is 50 + 50 × (0.95 − 0.918) / (0.993 − 0.918) ms, as histogram_quantile.
    const below = (le: number) => 1 - Math.exp(-le / 0.02);
    const p95 = 0.05 + (0.05 * (0.95 - below(0.05))) / (below(0.1) - below(0.05));
    expect(at('l7_latency:frontend->api:http', 10)).toBeCloseTo(p95, 9);
    expect(at('cpu_usage:api:api-1', 10)).toBeCloseTo(25, 9);
    expect(byId.get('cpu_usage:frontend:fe-1')!.unit).toBe('cores');
    expect(at('memory_usage:api:api-1', 10)).toBeCloseTo(50, 9);
    expect(Array.from(byId.get('oom_kills:api:api-1')!.series.values.slice(0, 6))).toEqual([
      0, 0, 1, 1, 2, 2,
    ]);
    expect(at('volume_usage:postgres:pg-1:/data', 10)).toBeCloseTo(50, 9);
  });

  it('turns a rollout into a step series at its time', () => {
    const deploy = collectCandidates(world(), 'frontend', { deployments }).find(
      (x) => x.kind === 'deployment',
    )!;
    expect(deploy.series.values[29]).toBe(0);
    expect(deploy.series.values[30]).toBe(1);
    expect(deploy.title).toBe('deployment (api:1.4 → api:1.5)');
  });

  it('follows a cycle no further than where it closes and respects maxDepth', () => {
    expect([...upstreamDepths(world(), 'frontend')]).toEqual([
      ['frontend', 0],
      ['api', 1],
      ['postgres', 2],
      ['backup', 3],
    ]);
    const shallow = collectCandidates(world(), 'frontend', { maxDepth: 1 });
    expect(new Set(shallow.map((x) => x.applicationId))).toEqual(new Set(['frontend', 'api']));
    expect(shallow.some((x) => x.id.startsWith('l7_latency:api->'))).toBe(false);
  });

  it('gives unique ids, the same on every run, and nothing for an unknown application', () => {
    const ids = collectCandidates(world(), 'frontend', { deployments }).map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(collectCandidates(world(), 'frontend', { deployments }).map((x) => x.id)).toEqual(ids);
    expect(collectCandidates(world(), 'nope')).toEqual([]);
  });
});

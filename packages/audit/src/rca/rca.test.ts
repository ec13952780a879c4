import { constantSeries, gridFor, type World } from '@vigil/model';
import { describe, expect, it } from 'vitest';
import { collectCandidates } from './candidates.ts';
import { rankCauses } from './score.ts';
import { inboundSymptoms } from './symptoms.ts';
import { MIN, ramp, step, synthetic, type Effect } from './testing/synthetic.ts';
import { buildWorld, l7Traffic } from './testing/world-builder.ts';

// frontend → api → postgres. At 61 min api's CPU quota starts throttling it; from 62 min its
// answers to frontend slow down and so does frontend. Distractors: postgres's disk filled
// 20–35 min (long before), api's memory grows from 70 min and an error pattern appears at 68
// min (both after the symptom), node n3's CPU is loud noise.
const grid = gridFor(0, 90 * MIN, 30_000);
const window = { fromMs: 60 * MIN, toMs: 75 * MIN };
const noisy = (seed: number, level: number, noise: number, ...effects: Effect[]) =>
  synthetic(grid, { level, noise, seed, effects });

function faultyWorld(): World {
  return buildWorld(
    grid,
    [
      {
        id: 'frontend',
        instances: [
          {
            id: 'fe-1',
            node: 'n1',
            cpuUsageCores: noisy(1, 0.3, 0.03),
            inbound: new Map([['http', l7Traffic(grid, 200, noisy(2, 0.02, 0.002, step(62 * MIN, 0.2)))]]),
            connections: [
              {
                toApp: 'api',
                l7: new Map([['http', l7Traffic(grid, 200, noisy(3, 0.015, 0.0015, step(62 * MIN, 0.19)))]]),
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
            cpuUsageCores: noisy(4, 0.8, 0.05),
            cpuLimitCores: constantSeries(grid, 1),
            cpuThrottled: noisy(5, 0.01, 0.003, step(61 * MIN, 0.4)),
            memoryRssBytes: noisy(6, 300e6, 5e6, step(70 * MIN, 150e6)),
            memoryLimitBytes: constantSeries(grid, 1e9),
            logs: {
              byLevel: new Map(),
              patterns: new Map([
                [
                  'h1',
                  {
                    level: 'error',
                    sample: 'cache miss storm',
                    messages: noisy(7, 0, 0, step(68 * MIN, 30)),
                  },
                ],
              ]),
            },
            connections: [
              {
                toApp: 'postgres',
                l7: new Map([['postgres', l7Traffic(grid, 400, noisy(8, 0.003, 0.0003))]]),
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
            node: 'n3',
            volumes: [
              {
                mountPoint: '/data',
                device: 'sda',
                usedBytes: noisy(9, 40e9, 0.1e9, ramp(20 * MIN, 35 * MIN, 50e9), step(35 * MIN, -50e9)),
                sizeBytes: constantSeries(grid, 100e9),
              },
            ],
          },
        ],
      },
    ],
    [{ name: 'n1' }, { name: 'n2' }, { name: 'n3', cpuUsagePercent: noisy(10, 40, 15) }],
  );
}

describe('root-cause analysis of a world', () => {
  it('names api CPU throttling as the cause of frontend latency, with the evidence', () => {
    const world = faultyWorld();
    const symptom = inboundSymptoms(world, 'frontend').latencyP95Seconds!;
    const result = rankCauses(symptom, collectCandidates(world, 'frontend'), window, {
      symptomTitle: 'frontend latency',
    });
    const [top] = result.causes;
    expect(top).toMatchObject({ id: 'cpu_throttling:api:api-1', rank: 1, applicationId: 'api' });
    expect(top!.explanation).toMatch(
      /^api \(api-1\): CPU throttling rose \d+× 1 min before frontend latency$/,
    );
    expect(top!.evidence.series.values).toHaveLength(grid.points);

    const edge = result.causes.find((c) => c.id === 'l7_latency:frontend->api:http')!;
    expect(edge.explainedBy).toBe(top!.id);

    for (const id of [
      'volume_usage:postgres:pg-1:/data',
      'memory_usage:api:api-1',
      'log_pattern:api:h1',
      'node_cpu:postgres:n3',
      'cpu_usage:frontend:fe-1',
    ]) {
      const distractor = result.causes.find((c) => c.id === id)!;
      expect(distractor.score, id).toBeLessThan(0.1);
    }
  });
});

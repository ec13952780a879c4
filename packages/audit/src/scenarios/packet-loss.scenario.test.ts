/**
 * Scenario: packet loss between the api and redis — TCP retransmits, the round-trip time
 * climbs, redis calls wait for retransmission timeouts.
 * Distractors: a deployment of the batch job, and CPU burn on prometheus.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SHOP, type Effect } from '@vigil/testkit/scenarios';
import { firstRankOn, minutesBefore, runScenario, type ScenarioResult } from './scenario-kit.ts';

const effects: Effect[] = [
  {
    kind: 'packet_loss',
    from: SHOP.api,
    to: SHOP.redis,
    fromMs: minutesBefore(30),
    retransmitsPerSecond: 6,
    extraRttSeconds: 0.03,
  },
  // distractors
  { kind: 'deployment', app: SHOP.batch, fromMs: minutesBefore(100), image: 'shop/batch:1.0', errorRate: 0 },
  { kind: 'cpu_burn', app: SHOP.prometheus, fromMs: minutesBefore(25), cores: 0.5 },
];

describe('scenario: packet loss to redis', () => {
  let s: ScenarioResult;
  beforeAll(async () => {
    s = await runScenario(effects);
  });

  it('fires the RTT and retransmission checks on the api, naming redis', () => {
    expect(s.firing(SHOP.api)).toEqual({ net_rtt: 'warning', net_retransmits: 'warning' });
    expect(s.check(SHOP.api, 'net_rtt').message).toMatch(/^RTT to \/k8s\/shop\/redis reached 3\d ms$/);
    expect(s.check(SHOP.api, 'net_retransmits').message).toMatch(
      /TCP retransmissions\/s to \/k8s\/shop\/redis: packet loss/,
    );
  });

  it('sees the batch deployment as done and keeps everything else OK', () => {
    for (const app of [SHOP.frontend, SHOP.postgres, SHOP.redis, SHOP.batch, SHOP.prometheus])
      expect(s.firing(app)).toEqual({});
    expect(s.check(SHOP.batch, 'deployments_stuck').message).toBe('1 deployment, last: shop/batch:1.0');
  });

  it('RCA of the frontend latency blames the retransmissions between api and redis', () => {
    const r = s.rca(SHOP.frontend, 'latency', minutesBefore(30));
    expect(r.causes[0]).toMatchObject({
      kind: 'tcp_retransmits',
      applicationId: SHOP.redis,
      fromApplicationId: SHOP.api,
    });
    expect(r.focus?.focus).toBe(SHOP.redis);
    expect(firstRankOn(r, [SHOP.batch, SHOP.prometheus])).toBeGreaterThan(1);
  });

  it('opens no SLO incident', () => {
    expect(s.incidents(SHOP.frontend)).toEqual([]);
  });
});

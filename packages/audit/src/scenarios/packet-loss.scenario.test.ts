/** The specification of the scenario in packet-loss.scenario.ts. */
import { beforeAll, describe, expect, it } from 'vitest';
import { SHOP } from '@vigil/testkit/scenarios';
import { firstRankOn, runScenario, type ScenarioResult } from './scenario-kit.ts';
import { effects, symptom } from './packet-loss.scenario.ts';

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
    const r = s.rca(symptom);
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

/** The specification of the scenario in cpu-throttling.scenario.ts. */
import { beforeAll, describe, expect, it } from 'vitest';
import { SHOP } from '@vigil/testkit/scenarios';
import { firstRankOn, runScenario, type ScenarioResult } from './scenario-kit.ts';
import { effects, symptom } from './cpu-throttling.scenario.ts';

describe('scenario: CPU throttling on api', () => {
  let s: ScenarioResult;
  beforeAll(async () => {
    s = await runScenario(effects);
  });

  it('fires the CPU checks on api (usage at its limit, throttled), and nothing else there', () => {
    expect(s.firing(SHOP.api)).toEqual({ cpu_container: 'warning', cpu_throttling: 'warning' });
    expect(s.check(SHOP.api, 'cpu_container').message).toMatch(/used (9\d|100)% of its CPU limit/);
    expect(s.check(SHOP.api, 'cpu_throttling').message).toMatch(/api-r0-\d throttled 40\.0% of the time/);
  });

  it('leaves the callers, the databases and the distractors OK', () => {
    for (const app of [SHOP.frontend, SHOP.postgres, SHOP.redis, SHOP.batch])
      expect(s.firing(app)).toEqual({});
    expect(s.firing(SHOP.prometheus)).toEqual({});
  });

  it('RCA of the frontend latency blames api CPU throttling, above the distractors', () => {
    const r = s.rca(symptom);
    expect(r.causes[0]).toMatchObject({ kind: 'cpu_throttling', applicationId: SHOP.api });
    expect(r.focus?.path).toEqual([SHOP.frontend, SHOP.api]);
    expect(firstRankOn(r, [SHOP.batch, SHOP.prometheus])).toBeGreaterThan(1);
  });

  it('opens no SLO incident: slower, but still under 500 ms', () => {
    expect(s.incidents(SHOP.frontend)).toEqual([]);
    expect(s.check(SHOP.frontend, 'slo_latency').status).toBe('ok');
  });
});

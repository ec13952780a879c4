/** The specification of the scenario in oom-loop.scenario.ts. */
import { beforeAll, describe, expect, it } from 'vitest';
import { SHOP } from '@vigil/testkit/scenarios';
import { firstRankOn, runScenario, type ScenarioResult } from './scenario-kit.ts';
import { effects, symptom } from './oom-loop.scenario.ts';

describe('scenario: OOM loop on api', () => {
  let s: ScenarioResult;
  beforeAll(async () => {
    s = await runScenario(effects);
  });

  it('reports the OOM kills as critical and the restarts they caused', () => {
    const firing = s.firing(SHOP.api);
    expect(firing['memory_oom']).toBe('critical');
    expect(firing['instances_restarts']).toBe('warning');
    expect(s.check(SHOP.api, 'memory_oom').message).toMatch(
      /^1 of 3 instances OOM-killed 6 times: memory limit 1 GiB is too small$/,
    );
    expect(s.check(SHOP.api, 'instances_restarts').message).toBe(
      '1 of 3 instances restarted 6 times: OOM kill (6)',
    );
    expect(s.report(SHOP.api, 'Memory').status).toBe('critical');
  });

  it('sees the failed requests in the logs of api and of the frontend that called it', () => {
    expect(s.firing(SHOP.api)['logs_errors']).toBe('warning');
    expect(s.firing(SHOP.frontend)).toEqual({ logs_errors: 'warning' });
  });

  it('leaves the distractors and the databases OK', () => {
    for (const app of [SHOP.postgres, SHOP.redis, SHOP.batch, SHOP.prometheus])
      expect(s.firing(app)).toEqual({});
    expect(s.check(SHOP.prometheus, 'memory_leak').status).toBe('ok');
  });

  it('RCA of the frontend error rate blames the OOM kills on api, above the distractors', () => {
    const r = s.rca(symptom);
    expect(r.causes[0]).toMatchObject({ kind: 'oom_kills', applicationId: SHOP.api });
    expect(firstRankOn(r, [SHOP.batch, SHOP.prometheus])).toBeGreaterThan(1);
  });
});

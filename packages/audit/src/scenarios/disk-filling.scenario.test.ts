/** The specification of the scenario in disk-filling.scenario.ts. */
import { beforeAll, describe, expect, it } from 'vitest';
import { SHOP } from '@vigil/testkit/scenarios';
import { runScenario, type ScenarioResult } from './scenario-kit.ts';
import { effects } from './disk-filling.scenario.ts';

describe('scenario: disk filling up on postgres', () => {
  let s: ScenarioResult;
  beforeAll(async () => {
    s = await runScenario(effects);
  });

  it('fires the space check as critical, naming the volume', () => {
    expect(s.firing(SHOP.postgres)).toEqual({ storage_space: 'critical' });
    expect(s.check(SHOP.postgres, 'storage_space').message).toMatch(
      /^postgres-r0-0:\/var\/lib\/postgresql\/data is 9\d% full \(20 GiB\)$/,
    );
  });

  it('keeps every other application OK (warnings are not errors)', () => {
    for (const app of [SHOP.frontend, SHOP.api, SHOP.redis, SHOP.batch, SHOP.prometheus])
      expect(s.firing(app)).toEqual({});
  });
});

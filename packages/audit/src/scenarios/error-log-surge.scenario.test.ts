/** The specification of the scenario in error-log-surge.scenario.ts. */
import { beforeAll, describe, expect, it } from 'vitest';
import { patternsOf } from '../inspections/logs.ts';
import { Thresholds } from '../inspections/thresholds.ts';
import { SHOP } from '@vigil/testkit/scenarios';
import { runScenario, type ScenarioResult } from './scenario-kit.ts';
import { effects } from './error-log-surge.scenario.ts';

describe('scenario: error-log surge on api', () => {
  let s: ScenarioResult;
  beforeAll(async () => {
    s = await runScenario(effects);
  });

  it('fires the logs check with the pattern that produced the errors', () => {
    expect(s.firing(SHOP.api)).toEqual({ logs_errors: 'warning' });
    expect(s.check(SHOP.api, 'logs_errors').message).toMatch(
      /^\d,\d{3} errors; most often: "payment provider timeout after 5000 ms" \(\d,\d{3}\)$/,
    );
    const [top] = patternsOf({ world: s.world, app: s.app(SHOP.api), thresholds: new Thresholds() });
    expect(top).toMatchObject({ hash: 'feedfacefeedface', level: 'error' });
    expect(top!.total).toBeGreaterThan(5 * 60 * 19);
    expect(top!.total).toBeLessThan(5 * 60 * 21);
  });

  it('keeps the other applications OK', () => {
    for (const app of [SHOP.frontend, SHOP.postgres, SHOP.redis, SHOP.batch, SHOP.prometheus])
      expect(s.firing(app)).toEqual({});
  });
});

/**
 * Scenario: the api starts logging errors about its payment provider (five a second), without
 * failing requests.
 * Distractors: throttling on the batch job an hour earlier, and slower redis (still fast).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { patternsOf } from '../inspections/logs.ts';
import { Thresholds } from '../inspections/thresholds.ts';
import { SHOP, type Effect } from '@vigil/testkit/scenarios';
import { minutesBefore, runScenario, type ScenarioResult } from './scenario-kit.ts';

const effects: Effect[] = [
  {
    kind: 'log_surge',
    app: SHOP.api,
    fromMs: minutesBefore(20),
    level: 'error',
    hash: 'feedfacefeedface',
    sample: 'payment provider timeout after 5000 ms',
    perSecond: 5,
  },
  // distractors
  {
    kind: 'cpu_throttling',
    app: SHOP.batch,
    fromMs: minutesBefore(90),
    untilMs: minutesBefore(80),
    throttledSecondsPerSecond: 0.02,
    slowdown: 1,
  },
  { kind: 'slow_service', app: SHOP.redis, fromMs: minutesBefore(30), slowdown: 2 },
];

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

/**
 * Scenario: the api's CPU limit is too tight for its load — it is throttled, its requests slow
 * down six times, and the frontend's latency follows.
 * Distractors: the batch job burns CPU half an hour before (within its limit), and prometheus
 * logs warnings about a slow scrape target.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SHOP, type Effect } from '@vigil/testkit/scenarios';
import { firstRankOn, minutesBefore, runScenario, type ScenarioResult } from './scenario-kit.ts';

const effects: Effect[] = [
  {
    kind: 'cpu_throttling',
    app: SHOP.api,
    fromMs: minutesBefore(40),
    throttledSecondsPerSecond: 0.4,
    slowdown: 6,
  },
  // distractors
  { kind: 'cpu_burn', app: SHOP.batch, fromMs: minutesBefore(90), untilMs: minutesBefore(70), cores: 1.2 },
  {
    kind: 'log_surge',
    app: SHOP.prometheus,
    fromMs: minutesBefore(60),
    level: 'warning',
    hash: 'a1b2c3d4e5f60718',
    sample: 'scrape of target took longer than 10s',
    perSecond: 0.5,
  },
];

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
    const r = s.rca(SHOP.frontend, 'latency', minutesBefore(40));
    expect(r.causes[0]).toMatchObject({ kind: 'cpu_throttling', applicationId: SHOP.api });
    expect(r.focus?.path).toEqual([SHOP.frontend, SHOP.api]);
    expect(firstRankOn(r, [SHOP.batch, SHOP.prometheus])).toBeGreaterThan(1);
  });

  it('opens no SLO incident: slower, but still under 500 ms', () => {
    expect(s.incidents(SHOP.frontend)).toEqual([]);
    expect(s.check(SHOP.frontend, 'slo_latency').status).toBe('ok');
  });
});

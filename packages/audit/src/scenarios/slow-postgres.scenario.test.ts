/**
 * Scenario: a slow query plan on Postgres for 35 minutes — every query takes a hundred times longer;
 * the api waits for it (three queries per request) and so does the frontend, whose latency SLO
 * breaks until the plan is fixed.
 * Distractors: an error-log burst on the batch job two hours earlier, and extra CPU on the
 * frontend (within its limit) starting five minutes before the slowdown.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { histogramQuantile, seriesStats } from '@vigil/model';
import { SHOP, type Effect } from '@vigil/testkit/scenarios';
import { firstRankOn, minutesBefore, runScenario, type ScenarioResult } from './scenario-kit.ts';

const effects: Effect[] = [
  {
    kind: 'slow_service',
    app: SHOP.postgres,
    fromMs: minutesBefore(60),
    untilMs: minutesBefore(25),
    slowdown: 100,
  },
  // distractors
  {
    kind: 'log_surge',
    app: SHOP.batch,
    fromMs: minutesBefore(150),
    untilMs: minutesBefore(140),
    level: 'error',
    hash: '0badc0de0badc0de',
    sample: 'job failed: input file missing',
    perSecond: 1,
  },
  { kind: 'cpu_burn', app: SHOP.frontend, fromMs: minutesBefore(65), cores: 0.3 },
];

describe('scenario: slow Postgres queries', () => {
  let s: ScenarioResult;
  beforeAll(async () => {
    s = await runScenario(effects);
  });

  it('fires the Postgres latency check from the cluster agent figures', () => {
    expect(s.firing(SHOP.postgres)).toEqual({ postgres_latency: 'warning' });
    expect(s.check(SHOP.postgres, 'postgres_latency').message).toBe('average query time reached 200 ms');
    expect(s.check(SHOP.postgres, 'postgres_availability').status).toBe('ok');
  });

  it('shows the slowdown on the wire from the api to postgres', () => {
    const api = s.app(SHOP.api);
    const pg = api.upstreams.find((c) => c.toApp === SHOP.postgres)!.l7.get('postgres')!;
    const p95 = histogramQuantile(s.world.grid, pg.histogram, 0.95);
    const before = seriesStats(p95, 0, 100).mean;
    const during = seriesStats(p95, 125, 150).mean;
    expect(during / before).toBeGreaterThan(10);
  });

  it('opens a critical latency incident on the frontend and closes it after the fix', () => {
    const [incident, ...more] = s.incidents(SHOP.frontend);
    expect(more).toEqual([]);
    expect(incident!.worstSeverity).toBe('critical');
    expect(incident!.openedAtMs).toBeGreaterThanOrEqual(minutesBefore(60));
    // The hour window reaches 14.4× once ~54% slow requests have run for ~16 minutes.
    expect(incident!.openedAtMs).toBeLessThanOrEqual(minutesBefore(40));
    expect(incident!.resolvedAtMs).toBeGreaterThan(minutesBefore(25));
    // Resolved once the 15-minute window of the 6× rule is clean (the rates behind the latency
    // histogram span four more minutes).
    expect(incident!.resolvedAtMs).toBeLessThanOrEqual(minutesBefore(5));
    expect(incident!.timeline[0]!.reasons.map((r) => r.slo)).toContain('latency');
  });

  it('RCA of the frontend latency follows it down to postgres, above the frontend CPU that moved first', () => {
    const r = s.rca(SHOP.frontend, 'latency', minutesBefore(60), minutesBefore(25));
    expect(r.focus?.path).toEqual([SHOP.frontend, SHOP.api, SHOP.postgres]);
    expect(r.causes[0]).toMatchObject({
      kind: 'l7_latency',
      applicationId: SHOP.postgres,
      fromApplicationId: SHOP.api,
    });
    const cpu = r.causes.find((c) => c.applicationId === SHOP.frontend && c.kind === 'cpu_usage')!;
    expect(cpu.relay).toBe(true);
    expect(cpu.rank).toBeGreaterThan(1);
    expect(firstRankOn(r, [SHOP.batch, SHOP.prometheus])).toBeGreaterThan(1);
  });

  it('leaves the resources of every application OK; only the old batch errors show in its logs', () => {
    for (const app of [SHOP.redis, SHOP.prometheus]) expect(s.firing(app)).toEqual({});
    expect(s.firing(SHOP.api)).toEqual({ slo_latency: 'critical' });
    expect(s.firing(SHOP.frontend)).toEqual({ slo_latency: 'critical' });
    expect(s.firing(SHOP.batch)).toEqual({ logs_errors: 'warning' });
  });
});

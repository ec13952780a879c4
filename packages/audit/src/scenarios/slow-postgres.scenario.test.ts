/** The specification of the scenario in slow-postgres.scenario.ts. */
import { beforeAll, describe, expect, it } from 'vitest';
import { histogramQuantile, seriesStats } from '@vigil/model';
import { SHOP } from '@vigil/testkit/scenarios';
import { firstRankOn, minutesBefore, runScenario, type ScenarioResult } from './scenario-kit.ts';
import { effects, symptom } from './slow-postgres.scenario.ts';

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
    const r = s.rca(symptom);
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

/** The specification of the scenario in bad-deployment.scenario.ts. */
import { beforeAll, describe, expect, it } from 'vitest';
import { detectDeployments } from '../deployments/detect.ts';
import { SHOP } from '@vigil/testkit/scenarios';
import { firstRankOn, minutesBefore, runScenario, type ScenarioResult } from './scenario-kit.ts';
import { effects, symptom } from './bad-deployment.scenario.ts';

describe('scenario: bad deployment of api, rolled back', () => {
  let s: ScenarioResult;
  beforeAll(async () => {
    s = await runScenario(effects);
  });

  it('detects the rollout and the rollback, and summarises the rollout: errors up, resources unchanged', () => {
    const [bad, rollback, ...rest] = detectDeployments(s.app(SHOP.api), s.world.grid);
    expect(rest).toHaveLength(0);
    expect(bad).toMatchObject({
      image: 'shop/api:2.8.0',
      previousImage: 'shop/api:2.7.1',
      state: 'done',
      startedAtMs: minutesBefore(80),
    });
    expect(rollback).toMatchObject({
      image: 'shop/api:2.7.1',
      previousImage: 'shop/api:2.8.0',
      state: 'done',
      startedAtMs: minutesBefore(40),
    });
    // The old pods stop at once, but an instant selector sees their last sample for PromQL's
    // five-minute lookback: a rollout reads as up to six minutes long.
    expect(bad!.finishedAtMs! - bad!.startedAtMs).toBeLessThanOrEqual(6 * 60_000);
    const { before, after } = bad!.summary!;
    expect(before.errorRate).toBe(0);
    expect(after.errorRate).toBeGreaterThan(0.27);
    expect(after.errorRate).toBeLessThan(0.33);
    expect(after.cpuCores / before.cpuCores).toBeGreaterThan(0.9);
    expect(after.cpuCores / before.cpuCores).toBeLessThan(1.1);
    // The rollback's summary: the errors gone again.
    expect(rollback!.summary!.before.errorRate).toBeGreaterThan(0.27);
    expect(rollback!.summary!.after.errorRate).toBe(0);
  });

  it('opens a critical availability incident on the frontend and closes it after the rollback', () => {
    const [incident, ...more] = s.incidents(SHOP.frontend);
    expect(more).toEqual([]);
    expect(incident!.worstSeverity).toBe('critical');
    expect(incident!.openedAtMs).toBeGreaterThan(minutesBefore(80));
    expect(incident!.openedAtMs).toBeLessThanOrEqual(minutesBefore(45));
    expect(incident!.resolvedAtMs).toBeGreaterThan(minutesBefore(40));
    expect(incident!.resolvedAtMs).toBeLessThanOrEqual(minutesBefore(20));
    expect(incident!.timeline[0]!.reasons.map((r) => r.slo)).toContain('availability');
  });

  it('RCA of the frontend error rate blames the api rollout, above its error logs and the distractors', () => {
    const r = s.rca(symptom);
    expect(r.causes[0]).toMatchObject({ kind: 'deployment', applicationId: SHOP.api });
    expect(r.causes[0]!.explanation).toContain('shop/api:2.7.1 → shop/api:2.8.0');
    expect(firstRankOn(r, [SHOP.batch, SHOP.prometheus])).toBeGreaterThan(1);
  });

  it('fires the availability SLO (breached within the last hour) and error logs on api and the frontend; the pods are all up', () => {
    expect(s.firing(SHOP.api)).toEqual({ slo_availability: 'critical', logs_errors: 'warning' });
    expect(s.firing(SHOP.frontend)).toEqual({ slo_availability: 'critical', logs_errors: 'warning' });
    expect(s.check(SHOP.api, 'instances_availability').message).toBe('3 of 3 instances up');
  });

  it('leaves the databases and the distractors OK', () => {
    for (const app of [SHOP.postgres, SHOP.redis, SHOP.batch, SHOP.prometheus])
      expect(s.firing(app)).toEqual({});
  });
});

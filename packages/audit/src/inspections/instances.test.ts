/**
 * The Instances report on the shop (testkit scenarios), whose simulated cluster agent reports
 * each Kubernetes workload's replicas (`kube_deployment_spec_replicas`). Pods that never start
 * are only visible through that figure: judged by what ran, an api whose third pod has been
 * Pending all along looks complete.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SHOP } from '@vigil/testkit/scenarios';
import { minutesBefore, runScenario, WINDOW_FROM, type ScenarioResult } from '../scenarios/scenario-kit.ts';
import { instancesReport } from './instances.ts';
import { Thresholds } from './thresholds.ts';

describe('Instances report', () => {
  let quiet: ScenarioResult;
  let pendingAllAlong: ScenarioResult;
  let lostLater: ScenarioResult;
  beforeAll(async () => {
    [quiet, pendingAllAlong, lostLater] = await Promise.all([
      runScenario([]),
      // From before the window: the api never had its third pod.
      runScenario([{ kind: 'pods_pending', app: SHOP.api, count: 1, fromMs: WINDOW_FROM - 600_000 }]),
      // Two of the api's three pods go away for the last twenty minutes.
      runScenario([{ kind: 'pods_pending', app: SHOP.api, count: 2, fromMs: minutesBefore(20) }]),
    ]);
  });

  it('reads the desired replicas of every Kubernetes workload', () => {
    const desired = quiet.app(SHOP.api).desiredInstances;
    expect(desired).toBeDefined();
    expect(desired!.values.at(-1)).toBe(3);
    expect(quiet.check(SHOP.api, 'instances_availability')).toMatchObject({
      status: 'ok',
      message: '3 of 3 instances up',
    });
  });

  it('counts a pod that never started against the workload, which an estimate from what ran cannot', () => {
    expect(pendingAllAlong.app(SHOP.api).instances.length).toBe(2);
    expect(pendingAllAlong.check(SHOP.api, 'instances_availability')).toMatchObject({
      status: 'warning',
      message: '2 of 3 desired instances up at the end of the window',
    });
    // The same world without the orchestrator's figure: two ran, two are up, all looks well.
    const app = { ...pendingAllAlong.app(SHOP.api) };
    delete (app as { desiredInstances?: unknown }).desiredInstances;
    const estimated = instancesReport({ world: pendingAllAlong.world, app, thresholds: new Thresholds() });
    expect(estimated.checks.find((c) => c.id === 'instances_availability')).toMatchObject({
      status: 'ok',
      message: '2 of 2 instances up',
    });
  });

  it('turns red when running pods go away, with the desired count in the message', () => {
    expect(lostLater.check(SHOP.api, 'instances_availability')).toMatchObject({
      status: 'warning',
      message: '1 of 3 desired instances up at the end of the window',
    });
    // The frontend, untouched, stays complete.
    expect(lostLater.check(SHOP.frontend, 'instances_availability').status).toBe('ok');
  });
});

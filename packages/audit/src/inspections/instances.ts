/** Instances: how many of the application's instances are up, and how often they restarted (and why). */
import { counterIncrease, recentValue, sumSeries, type Instance } from '@vigil/model';

/** How far back "now" reaches: the newest point or two may not be evaluated yet. */
export const RECENT_MS = 30_000;
import { makeReport, noDataReport, type Report } from '../report.ts';
import { chart, evaluate, instanceName } from './check.ts';
import type { InspectionContext } from './context.ts';

/**
 * How many instances the application is meant to run, without the orchestrator's word for it:
 * the most that ran at once *of one image*. Counting per image keeps a rollout's overlap of old
 * and new pods from doubling the figure.
 */
export function desiredInstances(instances: readonly Instance[]): number {
  const points = instances[0]?.up.values.length ?? 0;
  let desired = 0;
  for (let k = 0; k < points; k++) {
    const perImage = new Map<string, number>();
    for (const i of instances) {
      if (Number.isNaN(i.up.values[k]!)) continue;
      const image = i.images[i.images.length - 1] ?? '';
      perImage.set(image, (perImage.get(image) ?? 0) + 1);
    }
    for (const n of perImage.values()) desired = Math.max(desired, n);
  }
  return desired;
}

export function instancesReport(ctx: InspectionContext): Report {
  const { app, world, thresholds } = ctx;
  if (app.instances.length === 0)
    return noDataReport(
      'Instances',
      'No agent reports instances of this application: it is seen only as a destination of other applications.',
    );
  const up = sumSeries(
    world.grid,
    app.instances.map((i) => i.up),
  );
  const now = recentValue(up, RECENT_MS);
  const upNow = Number.isNaN(now) ? 0 : now;
  // The orchestrator's figure when the cluster agent reports it, else the most that ran at once.
  const asked = app.desiredInstances ? recentValue(app.desiredInstances, RECENT_MS) : NaN;
  const fromOrchestrator = !Number.isNaN(asked);
  const desired = fromOrchestrator ? asked : Math.max(desiredInstances(app.instances), 1);
  const availability = evaluate(thresholds, 'instances_availability', {
    // A workload scaled to zero is where it was asked to be.
    value: desired === 0 ? 100 : (upNow / desired) * 100,
    bad: 'below',
    describe: (status) =>
      status === 'ok'
        ? `${upNow} of ${desired} instances up`
        : fromOrchestrator
          ? `${upNow} of ${desired} desired instances up at the end of the window`
          : `${upNow} of ${desired} instances up at the end of the window (${desired} were up earlier)`,
  });
  const restarts = app.instances.reduce((n, i) => n + counterIncrease(i.restarts), 0);
  const ooms = app.instances.reduce((n, i) => n + counterIncrease(i.oomKills), 0);
  const restarted = app.instances.filter((i) => counterIncrease(i.restarts) > 0).length;
  const restartCheck = evaluate(thresholds, 'instances_restarts', {
    value: restarts,
    describe: (status) =>
      status === 'ok'
        ? restarts === 0
          ? 'no restarts'
          : `${restarts} restart${restarts === 1 ? '' : 's'}`
        : `${restarted} of ${app.instances.length} instances restarted ${restarts} times${ooms > 0 ? `: OOM kill (${ooms})` : ''}`,
  });
  return makeReport('Instances', [availability, restartCheck], () => [
    chart('Instances up', 'count', [['up', up]]),
    chart(
      'Restarts',
      'count',
      app.instances.map((i) => [instanceName(i.id), i.restarts] as [string, typeof up]),
    ),
  ]);
}

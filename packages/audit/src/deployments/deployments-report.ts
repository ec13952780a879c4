/** The Deployments report: rollouts in the window, and whether one is stuck. */
import { makeReport, noDataReport, type Report } from '../report.ts';
import { evaluate } from '../inspections/check.ts';
import type { InspectionContext } from '../inspections/context.ts';
import { detectDeployments, type Deployment } from './detect.ts';

export function deploymentsReport(
  ctx: InspectionContext,
  deployments: readonly Deployment[] = detectDeployments(ctx.app, ctx.world.grid),
): Report {
  if (ctx.app.instances.length === 0)
    return noDataReport('Deployments', 'No agent reports instances of this application.');
  const running = deployments.filter((d) => d.state === 'in_progress');
  const longest = running.reduce((n, d) => Math.max(n, d.durationMs / 1000), 0);
  const check = evaluate(ctx.thresholds, 'deployments_stuck', {
    value: longest,
    describe: (status) => {
      if (status !== 'ok')
        return `rollout of ${running[0]!.image} in progress for ${Math.round(longest / 60)} min: stuck?`;
      if (running.length > 0) return `rollout of ${running[0]!.image} in progress`;
      return deployments.length === 0
        ? 'no deployments in the window'
        : `${deployments.length} deployment${deployments.length === 1 ? '' : 's'}, last: ${deployments[deployments.length - 1]!.image}`;
    },
  });
  return makeReport('Deployments', [check]);
}

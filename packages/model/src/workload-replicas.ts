/**
 * How many instances a Kubernetes workload is meant to run, in kube-state-metrics form (the
 * cluster agent sends these series): `kube_deployment_spec_replicas`, `kube_statefulset_replicas`
 * and `kube_daemonset_status_desired_number_scheduled`, each with `namespace` and the workload's
 * label. The orchestrator's word beats any estimate from what ran: a Deployment scaled to three
 * whose pods all crash-loop has three desired instances, not zero.
 */
import type { SourceRead } from './data-source.ts';
import { seriesFromPoints, type TimeGrid, type TimeSeries } from './time-series.ts';

const WORKLOAD_LABELS = ['deployment', 'statefulset', 'daemonset'] as const;

/** Desired replicas by application id (`/k8s/<namespace>/<workload>`), over the grid. */
export function desiredReplicas(read: SourceRead | undefined, grid: TimeGrid): Map<string, TimeSeries> {
  const out = new Map<string, TimeSeries>();
  for (const s of read?.series ?? []) {
    const ns = s.labels['namespace'];
    const workload = WORKLOAD_LABELS.map((l) => s.labels[l]).find((w) => w !== undefined && w !== '');
    if (!ns || !workload) continue;
    // One series per workload in kube-state-metrics; a second (two agents, a relabelled copy)
    // says the same, so the first is kept.
    const id = `/k8s/${ns}/${workload}`;
    if (!out.has(id)) out.set(id, seriesFromPoints(grid, s.timestampsMs, s.values));
  }
  return out;
}

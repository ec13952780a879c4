/**
 * Kubernetes workload annotations, as kube-state-metrics exports the allowlisted ones
 * (`kube_deployment_annotations{namespace, deployment, annotation_<sanitized key>="value"}`, the
 * same for statefulsets and daemonsets; the cluster agent sends these series too). Keys stay in
 * their exported form (`annotation_coroot_com_slo_latency_threshold`): the sanitizing cannot be
 * undone in general, and whoever reads an annotation knows the key it is looking for.
 */
import type { SourceRead } from './data-source.ts';

const WORKLOAD_LABELS = ['deployment', 'statefulset', 'daemonset', 'cronjob'] as const;

/** Annotations by application id (`/k8s/<namespace>/<workload>`), from the newest series of each. */
export function workloadAnnotations(read: SourceRead | undefined): Map<string, Record<string, string>> {
  const newest = new Map<string, { lastMs: number; annotations: Record<string, string> }>();
  for (const s of read?.series ?? []) {
    const ns = s.labels['namespace'];
    const workload = WORKLOAD_LABELS.map((l) => s.labels[l]).find((w) => w !== undefined && w !== '');
    if (!ns || !workload) continue;
    let lastMs = -Infinity;
    for (let i = 0; i < s.timestampsMs.length; i++)
      if (s.timestampsMs[i]! > lastMs) lastMs = s.timestampsMs[i]!;
    const id = `/k8s/${ns}/${workload}`;
    const known = newest.get(id);
    if (known && known.lastMs >= lastMs) continue;
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.labels))
      if (k.startsWith('annotation_') && v !== '') annotations[k] = v;
    newest.set(id, { lastMs, annotations });
  }
  return new Map([...newest].map(([id, n]) => [id, n.annotations]));
}

/** How kube-state-metrics names the label of annotation `key` (`coroot.com/slo-x` → `annotation_coroot_com_slo_x`). */
export function annotationLabel(key: string): string {
  return `annotation_${key.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}

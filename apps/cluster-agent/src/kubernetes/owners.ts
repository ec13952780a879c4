/**
 * The workload a pod belongs to — the name in its application id `/k8s/<namespace>/<workload>` —
 * from its controller reference, following one more step where Kubernetes inserts an
 * intermediate object:
 *
 *   Pod ─► ReplicaSet ─► Deployment        (the ReplicaSet from the watch; before the watch knows
 *                                           it, the name without its `-<pod-template-hash>`)
 *   Pod ─► Job ─► CronJob                  (the Job from the watch; else the Job's name)
 *   Pod ─► StatefulSet | DaemonSet | other  its name
 *   Pod ─► Node, or no owner               a static or bare pod: its name without `-<node>`
 */
import type { V1Job, V1ObjectMeta, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';

/** How owners.ts finds the watched objects a pod points to. */
export interface OwnerLookup {
  replicaSet(namespace: string, name: string): V1ReplicaSet | undefined;
  job(namespace: string, name: string): V1Job | undefined;
}

function controllerOf(meta: V1ObjectMeta | undefined): { kind: string; name: string } | undefined {
  const refs = meta?.ownerReferences ?? [];
  return refs.find((r) => r.controller === true) ?? refs[0];
}

/** The pod's workload name. */
export function podWorkload(pod: V1Pod, lookup: OwnerLookup): string {
  const ns = pod.metadata?.namespace ?? '';
  const podName = pod.metadata?.name ?? '';
  const owner = controllerOf(pod.metadata);
  if (!owner || owner.kind === 'Node') {
    const node = pod.spec?.nodeName;
    return node && podName.endsWith(`-${node}`) ? podName.slice(0, -node.length - 1) : podName;
  }
  if (owner.kind === 'ReplicaSet') {
    const rs = lookup.replicaSet(ns, owner.name);
    if (rs) {
      const up = controllerOf(rs.metadata);
      return up?.kind === 'Deployment' ? up.name : owner.name;
    }
    const hash = pod.metadata?.labels?.['pod-template-hash'];
    return hash && owner.name.endsWith(`-${hash}`) ? owner.name.slice(0, -hash.length - 1) : owner.name;
  }
  if (owner.kind === 'Job') {
    const up = controllerOf(lookup.job(ns, owner.name)?.metadata);
    return up?.kind === 'CronJob' ? up.name : owner.name;
  }
  return owner.name;
}

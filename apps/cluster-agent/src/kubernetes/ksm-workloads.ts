/**
 * kube_{deployment,replicaset,statefulset,daemonset,job,cronjob}_* series, as kube-state-metrics
 * v2 computes them. Labels and allowlisted annotations are exported for deployments,
 * statefulsets, daemonsets and cronjobs: the model reads
 * `kube_{deployment,statefulset,daemonset}_annotations{annotation_coroot_com_slo_*}`
 * (packages/model/src/workload-annotations.ts), and Coroot the cronjob's as well.
 */
import type {
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1Job,
  V1ObjectMeta,
  V1OwnerReference,
  V1ReplicaSet,
  V1StatefulSet,
} from '@kubernetes/client-node';
import type { FamilyBuilder, KsmFamily } from './families.ts';
import { allowedAnnotations, kubeMapToLabels } from './label-names.ts';

type Labels = Readonly<Record<string, string | undefined>>;

function labelsAndAnnotations(
  b: FamilyBuilder,
  kind: string,
  id: Labels,
  meta: V1ObjectMeta | undefined,
): void {
  b.add(`kube_${kind}_labels` as KsmFamily, { ...id, ...kubeMapToLabels('label', meta?.labels) }, 1);
  b.add(
    `kube_${kind}_annotations` as KsmFamily,
    { ...id, ...kubeMapToLabels('annotation', allowedAnnotations(meta?.annotations)) },
    1,
  );
}

/** `owner_kind`/`owner_name`/`owner_is_controller` series; one with all three empty when there is no owner. */
function owners(
  b: FamilyBuilder,
  name: KsmFamily,
  id: Labels,
  refs: readonly V1OwnerReference[] | undefined,
): void {
  if (!refs || refs.length === 0) {
    b.add(name, id, 1);
    return;
  }
  for (const o of refs) {
    b.add(
      name,
      { ...id, owner_kind: o.kind, owner_name: o.name, owner_is_controller: String(o.controller ?? false) },
      1,
    );
  }
}

/** Adds the deployment's series. */
export function addDeploymentSeries(b: FamilyBuilder, d: V1Deployment): void {
  const id = { namespace: d.metadata?.namespace, deployment: d.metadata?.name };
  const s = d.status ?? {};
  if (d.spec?.replicas !== undefined) b.add('kube_deployment_spec_replicas', id, d.spec.replicas);
  b.add('kube_deployment_status_replicas', id, s.replicas ?? 0);
  b.add('kube_deployment_status_replicas_available', id, s.availableReplicas ?? 0);
  b.add('kube_deployment_status_replicas_ready', id, s.readyReplicas ?? 0);
  b.add('kube_deployment_status_replicas_unavailable', id, s.unavailableReplicas ?? 0);
  b.add('kube_deployment_status_replicas_updated', id, s.updatedReplicas ?? 0);
  labelsAndAnnotations(b, 'deployment', id, d.metadata);
}

/** Adds the replicaset's series. */
export function addReplicaSetSeries(b: FamilyBuilder, r: V1ReplicaSet): void {
  const id = { namespace: r.metadata?.namespace, replicaset: r.metadata?.name };
  owners(b, 'kube_replicaset_owner', id, r.metadata?.ownerReferences);
  if (r.spec?.replicas !== undefined) b.add('kube_replicaset_spec_replicas', id, r.spec.replicas);
  b.add('kube_replicaset_status_replicas', id, r.status?.replicas ?? 0);
  b.add('kube_replicaset_status_ready_replicas', id, r.status?.readyReplicas ?? 0);
}

/** Adds the statefulset's series. */
export function addStatefulSetSeries(b: FamilyBuilder, st: V1StatefulSet): void {
  const id = { namespace: st.metadata?.namespace, statefulset: st.metadata?.name };
  const s = st.status;
  if (st.spec?.replicas !== undefined) b.add('kube_statefulset_replicas', id, st.spec.replicas);
  b.add('kube_statefulset_status_replicas', id, s?.replicas ?? 0);
  b.add('kube_statefulset_status_replicas_ready', id, s?.readyReplicas ?? 0);
  b.add('kube_statefulset_status_replicas_available', id, s?.availableReplicas ?? 0);
  b.add('kube_statefulset_status_replicas_current', id, s?.currentReplicas ?? 0);
  b.add('kube_statefulset_status_replicas_updated', id, s?.updatedReplicas ?? 0);
  labelsAndAnnotations(b, 'statefulset', id, st.metadata);
}

/** Adds the daemonset's series. */
export function addDaemonSetSeries(b: FamilyBuilder, d: V1DaemonSet): void {
  const id = { namespace: d.metadata?.namespace, daemonset: d.metadata?.name };
  const s = d.status;
  b.add('kube_daemonset_status_desired_number_scheduled', id, s?.desiredNumberScheduled ?? 0);
  b.add('kube_daemonset_status_current_number_scheduled', id, s?.currentNumberScheduled ?? 0);
  b.add('kube_daemonset_status_number_available', id, s?.numberAvailable ?? 0);
  b.add('kube_daemonset_status_number_ready', id, s?.numberReady ?? 0);
  b.add('kube_daemonset_status_number_unavailable', id, s?.numberUnavailable ?? 0);
  b.add('kube_daemonset_status_number_misscheduled', id, s?.numberMisscheduled ?? 0);
  b.add('kube_daemonset_status_updated_number_scheduled', id, s?.updatedNumberScheduled ?? 0);
  labelsAndAnnotations(b, 'daemonset', id, d.metadata);
}

/** Adds the job's series (its owner: how a job's pods lead to a cronjob). */
export function addJobSeries(b: FamilyBuilder, j: V1Job): void {
  owners(
    b,
    'kube_job_owner',
    { namespace: j.metadata?.namespace, job_name: j.metadata?.name },
    j.metadata?.ownerReferences,
  );
}

/** Adds the cronjob's series. */
export function addCronJobSeries(b: FamilyBuilder, c: V1CronJob): void {
  const id = { namespace: c.metadata?.namespace, cronjob: c.metadata?.name };
  b.add(
    'kube_cronjob_info',
    {
      ...id,
      schedule: c.spec?.schedule,
      concurrency_policy: c.spec?.concurrencyPolicy,
      timezone: c.spec?.timeZone ?? 'local',
    },
    1,
  );
  labelsAndAnnotations(b, 'cronjob', id, c.metadata);
}

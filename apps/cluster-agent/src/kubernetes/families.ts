/**
 * The kube-state-metrics families the agent exports (names, types and help as kube-state-metrics
 * v2 has them), and a builder that collects samples into them.
 *
 * A label whose value is empty is left out of the sample: kube-state-metrics writes `node=""` for
 * an unscheduled pod, and Prometheus (and every reader of remote write) treats an empty label as
 * absent, so the stored series are the same.
 */
import type { MetricFamily, Sample } from '@vigil/agent-kit';

type Kind = 'gauge' | 'counter';

const CATALOG = {
  kube_pod_info: ['gauge', 'Information about pod.'],
  kube_pod_owner: ['gauge', "Information about the Pod's owner."],
  kube_pod_labels: ['gauge', 'Kubernetes labels converted to Prometheus labels.'],
  kube_pod_annotations: ['gauge', 'Kubernetes annotations converted to Prometheus labels.'],
  kube_pod_status_phase: ['gauge', 'The pods current phase.'],
  kube_pod_status_ready: ['gauge', 'Describes whether the pod is ready to serve requests.'],
  kube_pod_status_scheduled: ['gauge', 'Describes the status of the scheduling process for the pod.'],
  kube_pod_container_info: ['gauge', 'Information about a container in a pod.'],
  kube_pod_container_status_ready: ['gauge', 'Describes whether the containers readiness check succeeded.'],
  kube_pod_container_status_running: [
    'gauge',
    'Describes whether the container is currently in running state.',
  ],
  kube_pod_container_status_waiting: [
    'gauge',
    'Describes whether the container is currently in waiting state.',
  ],
  kube_pod_container_status_terminated: [
    'gauge',
    'Describes whether the container is currently in terminated state.',
  ],
  kube_pod_container_status_waiting_reason: [
    'gauge',
    'Describes the reason the container is currently in waiting state.',
  ],
  kube_pod_container_status_terminated_reason: [
    'gauge',
    'Describes the reason the container is currently in terminated state.',
  ],
  kube_pod_container_status_last_terminated_reason: [
    'gauge',
    'Describes the last reason the container was in terminated state.',
  ],
  kube_pod_container_status_restarts_total: ['counter', 'The number of container restarts per container.'],
  kube_pod_container_resource_requests: ['gauge', 'The number of requested request resource by a container.'],
  kube_pod_init_container_info: ['gauge', 'Information about an init container in a pod.'],
  kube_pod_init_container_status_ready: [
    'gauge',
    'Describes whether the init containers readiness check succeeded.',
  ],
  kube_pod_init_container_status_running: [
    'gauge',
    'Describes whether the init container is currently in running state.',
  ],
  kube_pod_init_container_status_waiting: [
    'gauge',
    'Describes whether the init container is currently in waiting state.',
  ],
  kube_pod_init_container_status_terminated: [
    'gauge',
    'Describes whether the init container is currently in terminated state.',
  ],
  kube_pod_init_container_status_waiting_reason: [
    'gauge',
    'Describes the reason the init container is currently in waiting state.',
  ],
  kube_pod_init_container_status_terminated_reason: [
    'gauge',
    'Describes the reason the init container is currently in terminated state.',
  ],
  kube_pod_init_container_status_last_terminated_reason: [
    'gauge',
    'Describes the last reason the init container was in terminated state.',
  ],
  kube_pod_init_container_status_restarts_total: [
    'counter',
    'The number of restarts for the init container.',
  ],
  kube_deployment_spec_replicas: ['gauge', 'Number of desired pods for a deployment.'],
  kube_deployment_status_replicas: ['gauge', 'The number of replicas per deployment.'],
  kube_deployment_status_replicas_available: ['gauge', 'The number of available replicas per deployment.'],
  kube_deployment_status_replicas_ready: ['gauge', 'The number of ready replicas per deployment.'],
  kube_deployment_status_replicas_unavailable: [
    'gauge',
    'The number of unavailable replicas per deployment.',
  ],
  kube_deployment_status_replicas_updated: ['gauge', 'The number of updated replicas per deployment.'],
  kube_deployment_labels: ['gauge', 'Kubernetes labels converted to Prometheus labels.'],
  kube_deployment_annotations: ['gauge', 'Kubernetes annotations converted to Prometheus labels.'],
  kube_replicaset_owner: ['gauge', "Information about the ReplicaSet's owner."],
  kube_replicaset_spec_replicas: ['gauge', 'Number of desired pods for a ReplicaSet.'],
  kube_replicaset_status_replicas: ['gauge', 'The number of replicas per ReplicaSet.'],
  kube_replicaset_status_ready_replicas: ['gauge', 'The number of ready replicas per ReplicaSet.'],
  kube_statefulset_replicas: ['gauge', 'Number of desired pods for a StatefulSet.'],
  kube_statefulset_status_replicas: ['gauge', 'The number of replicas per StatefulSet.'],
  kube_statefulset_status_replicas_ready: ['gauge', 'The number of ready replicas per StatefulSet.'],
  kube_statefulset_status_replicas_available: ['gauge', 'The number of available replicas per StatefulSet.'],
  kube_statefulset_status_replicas_current: ['gauge', 'The number of current replicas per StatefulSet.'],
  kube_statefulset_status_replicas_updated: ['gauge', 'The number of updated replicas per StatefulSet.'],
  kube_statefulset_labels: ['gauge', 'Kubernetes labels converted to Prometheus labels.'],
  kube_statefulset_annotations: ['gauge', 'Kubernetes annotations converted to Prometheus labels.'],
  kube_daemonset_status_desired_number_scheduled: [
    'gauge',
    'The number of nodes that should be running the daemon pod.',
  ],
  kube_daemonset_status_current_number_scheduled: [
    'gauge',
    'The number of nodes running at least one daemon pod and are supposed to.',
  ],
  kube_daemonset_status_number_available: [
    'gauge',
    'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available',
  ],
  kube_daemonset_status_number_ready: [
    'gauge',
    'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.',
  ],
  kube_daemonset_status_number_unavailable: [
    'gauge',
    'The number of nodes that should be running the daemon pod and have none of the daemon pod running and available',
  ],
  kube_daemonset_status_number_misscheduled: [
    'gauge',
    'The number of nodes running a daemon pod but are not supposed to.',
  ],
  kube_daemonset_status_updated_number_scheduled: [
    'gauge',
    'The total number of nodes that are running updated daemon pod',
  ],
  kube_daemonset_labels: ['gauge', 'Kubernetes labels converted to Prometheus labels.'],
  kube_daemonset_annotations: ['gauge', 'Kubernetes annotations converted to Prometheus labels.'],
  kube_job_owner: ['gauge', "Information about the Job's owner."],
  kube_cronjob_info: ['gauge', 'Info about cronjob.'],
  kube_cronjob_labels: ['gauge', 'Kubernetes labels converted to Prometheus labels.'],
  kube_cronjob_annotations: ['gauge', 'Kubernetes annotations converted to Prometheus labels.'],
  kube_node_info: ['gauge', 'Information about a cluster node.'],
  kube_node_labels: ['gauge', 'Kubernetes labels converted to Prometheus labels.'],
  kube_node_spec_unschedulable: ['gauge', 'Whether a node can schedule new pods.'],
  kube_node_status_condition: ['gauge', 'The condition of a cluster node.'],
  kube_service_info: ['gauge', 'Information about service.'],
  kube_service_spec_type: ['gauge', 'Type about service.'],
  kube_service_status_load_balancer_ingress: ['gauge', 'Service load balancer ingress status'],
  kube_endpoint_address: ['gauge', 'Information about Endpoint available and non available addresses.'],
} as const satisfies Record<string, readonly [Kind, string]>;

/** The name of a family the agent exports. */
export type KsmFamily = keyof typeof CATALOG;

/** Every family name, in export order. */
export const KSM_FAMILIES = Object.keys(CATALOG) as KsmFamily[];

/** Collects samples by family; `build()` gives them in catalog order, empty families left out. */
export class FamilyBuilder {
  private readonly samples = new Map<KsmFamily, Sample[]>();

  add(name: KsmFamily, labels: Readonly<Record<string, string | undefined>>, value: number): void {
    const clean: Record<string, string> = {};
    for (const [k, v] of Object.entries(labels)) if (v !== undefined && v !== '') clean[k] = v;
    let list = this.samples.get(name);
    if (!list) this.samples.set(name, (list = []));
    list.push({ labels: clean, value });
  }

  build(): MetricFamily[] {
    const out: MetricFamily[] = [];
    for (const name of KSM_FAMILIES) {
      const samples = this.samples.get(name);
      if (!samples || samples.length === 0) continue;
      const [type, help] = CATALOG[name];
      out.push({ name, type, help, samples });
    }
    return out;
  }
}

/** One sample per condition status, 1 for the one `status` holds (kube-state-metrics' convention). */
export function conditionSamples(
  b: FamilyBuilder,
  name: KsmFamily,
  labels: Readonly<Record<string, string | undefined>>,
  status: string | undefined,
): void {
  for (const s of ['true', 'false', 'unknown']) {
    b.add(name, { ...labels, condition: s }, (status ?? '').toLowerCase() === s ? 1 : 0);
  }
}

/** 1 or 0. */
export const flag = (b: boolean | undefined): number => (b ? 1 : 0);

/**
 * Coroot-compatible names for a container from its runtime metadata (name and labels): the
 * `container_id` label and the `app_id` (also the OTel `service.name` of its spans and logs).
 *
 * ```
 * metadata                                   container id                            app id
 * kubelet labels io.kubernetes.pod.{namespace,name}, io.kubernetes.container.name:
 *   any pod                                  /k8s/<ns>/<pod>/<container>             /k8s/<ns>/<workload>
 *   a CronJob's pod, scheduled within 7 d    /k8s-cronjob/<ns>/<cronjob>/<container> /k8s-cronjob/<ns>/<cronjob>
 *   the pause container (POD, podsandbox)    none: not an application
 * swarm task (task name <svc>.<slot>.<id>)   /swarm/<stack or _>/<service>/<slot>    /swarm/<stack or _>/<service>
 * anything else (plain Docker, compose)      /docker/<name>                          /docker/<name>
 * ```
 *
 * Why these, checked against Coroot's sources (node agent `calcId` and
 * `ContainerIdToOtelServiceName`, server `getInstanceAndContainer`):
 * - CronJob pods get `/k8s-cronjob/…` ids instead of `/k8s/<ns>/<pod>/…` because every run is a
 *   new pod: per-pod ids would add a series set per run. Coroot only does this when the Job's
 *   minute timestamp is within a week of now, so a name that merely looks like one is left alone.
 * - A plain Docker container is its own application: Coroot's server makes an application of
 *   kind Unknown named after the container and counts same-named containers on other nodes as its
 *   instances. Coroot's agent leaves `app_id` empty there and uses the container id as the OTel
 *   service name; Vigil fills `app_id` with that same `/docker/<name>` so the label is never empty.
 *   Compose services are not merged (`proj-web-1`, `proj-web-2` stay two apps), as in Coroot.
 *
 * The workload of a Kubernetes pod comes from the API server when there is one; without it (this
 * module) it is guessed from the pod's name, see {@link workloadOfPod}.
 */

export interface ContainerNames {
  /** The `container_id` label. */
  readonly containerId: string;
  /** The `app_id` label and OTel `service.name`. */
  readonly appId: string;
}

export interface ContainerMetadata {
  /** The runtime's container name, without a leading '/'. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** How a pod name was read. */
export type PodNameShape =
  | 'deployment' // <deployment>-<pod-template-hash>-<5 random>
  | 'cronjob' // <cronjob>-<scheduled minute>-<5 random>
  | 'statefulset' // <statefulset>-<ordinal>
  | 'generated' // <owner>-<5 random>: DaemonSet, Job, a ReplicaSet of its own
  | 'truncated' // generateName cut at 58 characters, + 5 random
  | 'pod'; // none of the above: the pod is its own workload

export interface PodWorkload {
  readonly name: string;
  readonly shape: PodNameShape;
}

const K8S_NAMESPACE = 'io.kubernetes.pod.namespace';
const K8S_POD = 'io.kubernetes.pod.name';
const K8S_CONTAINER = 'io.kubernetes.container.name';

/**
 * The names of a container, or undefined for one that is not an application (a pod's sandbox,
 * a container without a name). `nowMs` decides whether a CronJob timestamp is recent.
 */
export function containerNames(
  meta: ContainerMetadata,
  nowMs: number = Date.now(),
): ContainerNames | undefined {
  const labels = meta.labels;
  const pod = labels[K8S_POD];
  if (pod !== undefined && pod !== '') return kubernetesNames(labels, pod, nowMs);
  const swarm = swarmNames(labels);
  if (swarm !== undefined) return swarm;
  if (meta.name === '') return undefined;
  const id = `/docker/${meta.name}`;
  return { containerId: id, appId: id };
}

function kubernetesNames(
  labels: Readonly<Record<string, string>>,
  pod: string,
  nowMs: number,
): ContainerNames | undefined {
  const container = labels[K8S_CONTAINER] ?? '';
  // The pause container: dockershim labels it podsandbox and names it POD; containerd says sandbox.
  if (container === '' || container === 'POD') return undefined;
  if (labels['io.kubernetes.docker.type'] === 'podsandbox') return undefined;
  if (labels['io.cri-containerd.kind'] === 'sandbox') return undefined;
  const ns = labels[K8S_NAMESPACE] ?? '';
  const workload = workloadOfPod(pod, nowMs);
  if (workload.shape === 'cronjob') {
    return {
      containerId: `/k8s-cronjob/${ns}/${workload.name}/${container}`,
      appId: `/k8s-cronjob/${ns}/${workload.name}`,
    };
  }
  return { containerId: `/k8s/${ns}/${pod}/${container}`, appId: `/k8s/${ns}/${workload.name}` };
}

function swarmNames(labels: Readonly<Record<string, string>>): ContainerNames | undefined {
  const task = (labels['com.docker.swarm.task.name'] ?? '').split('.');
  // <service>.<slot, or node id for global services>.<task id>
  if (task.length < 3) return undefined;
  const stack = labels['com.docker.stack.namespace'] ?? '';
  let service = labels['com.docker.swarm.service.name'] ?? task[0] ?? '';
  if (stack !== '' && service.startsWith(`${stack}_`)) service = service.slice(stack.length + 1);
  const ns = stack === '' ? '_' : stack;
  return { containerId: `/swarm/${ns}/${service}/${task[1]}`, appId: `/swarm/${ns}/${service}` };
}

/**
 * Characters of the 5-character suffix Kubernetes appends to generated names
 * (`utilrand.String`: no vowels, no 0, 1 or 3, so no words and no look-alikes).
 */
const RANDOM = '[bcdfghjklmnpqrstvwxz2456789]{5}';
/**
 * `pod-template-hash`: the decimal digits of a 32-bit hash, each mapped through that same
 * alphabet (`SafeEncodeString`), which yields only 4-9 and b, c, d, f; Kubernetes before 1.8
 * used the plain decimal digits. Up to 10 characters; fewer than 6 happens once in 40 000.
 */
const TEMPLATE_HASH = '[0-9bcdf]{6,10}';
const DEPLOYMENT = new RegExp(`^(.+)-${TEMPLATE_HASH}-${RANDOM}$`);
// A Job's name is <cronjob>-<scheduled time in minutes since the epoch> (8 digits until 2160).
const CRONJOB = new RegExp(`^(.+)-(\\d{8,9})-${RANDOM}$`);
// Ordinals have no leading zeros; more than five digits would be a 100 000-replica StatefulSet.
const STATEFULSET = /^(.+)-(?:0|[1-9]\d{0,4})$/;
const GENERATED = new RegExp(`^(.+)-${RANDOM}$`);
const CRONJOB_WINDOW_MS = 7 * 24 * 3600 * 1000;
/** `names.SimpleNameGenerator`: a generateName longer than 58 characters is cut to 58. */
const MAX_GENERATED_BASE = 58;

/**
 * The workload a pod belongs to, from its name alone:
 *
 * ```
 * cart-7d9f8b6c5d-x2x9z            deployment   cart          (ReplicaSet cart-7d9f8b6c5d)
 * backup-29145600-q7k4m            cronjob      backup        (Job backup-29145600, if recent)
 * postgres-0                       statefulset  postgres
 * fluent-bit-x2x9z                 generated    fluent-bit    (DaemonSet, Job, bare ReplicaSet)
 * <58 chars of "name-hash-"><5>    truncated    name          (partial hash dropped)
 * etcd-node1, debug                pod          itself
 * ```
 *
 * Ambiguities are settled toward the name every pod of the workload shares: a StatefulSet
 * ordinal and an all-digit random suffix (`db-24567`) both strip to `db`. Static pods
 * (`kube-apiserver-<node>`) are their own workload unless the node name ends like an ordinal
 * (`etcd-worker-1` → `etcd-worker`); the API server is needed to tell.
 */
export function workloadOfPod(pod: string, nowMs: number = Date.now()): PodWorkload {
  const cron = CRONJOB.exec(pod);
  if (cron !== null && recentMinute(Number(cron[2]), nowMs)) return { name: cron[1]!, shape: 'cronjob' };
  const deployment = DEPLOYMENT.exec(pod);
  if (deployment !== null) return { name: deployment[1]!, shape: 'deployment' };
  const ordinal = STATEFULSET.exec(pod);
  if (ordinal !== null) return { name: ordinal[1]!, shape: 'statefulset' };
  const generated = GENERATED.exec(pod);
  if (generated !== null) return { name: generated[1]!, shape: 'generated' };
  if (pod.length === MAX_GENERATED_BASE + 5 && pod[MAX_GENERATED_BASE - 1] !== '-') {
    // The base lost its trailing '-' (and maybe part of the hash): what is left of
    // "<owner>-<hash>" is the same for every pod of the owner; drop a partial hash if any.
    const base = pod.slice(0, MAX_GENERATED_BASE).replace(/-[0-9bcdf]{1,9}$/, '');
    return { name: base, shape: 'truncated' };
  }
  return { name: pod, shape: 'pod' };
}

function recentMinute(minutes: number, nowMs: number): boolean {
  return Math.abs(minutes * 60_000 - nowMs) < CRONJOB_WINDOW_MS;
}

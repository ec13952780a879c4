/**
 * kube_pod_* series of one pod, as kube-state-metrics v2 computes them. Every series carries
 * `namespace`, `pod` and `uid` (Coroot joins the pod's series on `uid`).
 *
 * - phase: five series, 1 for the current phase (none while the phase is unset);
 * - ready / scheduled: three series `condition=true|false|unknown` when the pod has the condition;
 * - container series only for containers that have a status, reasons only while in that state.
 */
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { conditionSamples, flag, type FamilyBuilder, type KsmFamily } from './families.ts';
import { allowedAnnotations, kubeMapToLabels } from './label-names.ts';
import { parseQuantity } from './quantity.ts';

const PHASES = ['Pending', 'Succeeded', 'Failed', 'Unknown', 'Running'] as const;

/** Adds the pod's series to `b`. */
export function addPodSeries(b: FamilyBuilder, pod: V1Pod): void {
  const meta = pod.metadata ?? {};
  const spec = pod.spec;
  const status = pod.status ?? {};
  const id = { namespace: meta.namespace, pod: meta.name, uid: meta.uid };
  const controller = meta.ownerReferences?.find((o) => o.controller === true);
  b.add(
    'kube_pod_info',
    {
      ...id,
      host_ip: status.hostIP,
      pod_ip: status.podIP,
      node: spec?.nodeName,
      created_by_kind: controller?.kind,
      created_by_name: controller?.name,
      priority_class: spec?.priorityClassName,
      host_network: String(spec?.hostNetwork ?? false),
    },
    1,
  );
  const owners = meta.ownerReferences ?? [];
  if (owners.length === 0) b.add('kube_pod_owner', id, 1);
  for (const o of owners) {
    b.add(
      'kube_pod_owner',
      { ...id, owner_kind: o.kind, owner_name: o.name, owner_is_controller: String(o.controller ?? false) },
      1,
    );
  }
  b.add('kube_pod_labels', { ...id, ...kubeMapToLabels('label', meta.labels) }, 1);
  b.add(
    'kube_pod_annotations',
    { ...id, ...kubeMapToLabels('annotation', allowedAnnotations(meta.annotations)) },
    1,
  );
  if (status.phase) {
    for (const phase of PHASES)
      b.add('kube_pod_status_phase', { ...id, phase }, flag(status.phase === phase));
  }
  for (const c of status.conditions ?? []) {
    if (c.type === 'Ready') conditionSamples(b, 'kube_pod_status_ready', id, c.status);
    if (c.type === 'PodScheduled') conditionSamples(b, 'kube_pod_status_scheduled', id, c.status);
  }
  containerSeries(b, 'kube_pod_container', id, spec?.containers ?? [], status.containerStatuses ?? []);
  containerSeries(
    b,
    'kube_pod_init_container',
    id,
    spec?.initContainers ?? [],
    status.initContainerStatuses ?? [],
  );
  for (const c of spec?.containers ?? []) {
    for (const [resource, quantity] of Object.entries(c.resources?.requests ?? {})) {
      const unit = resource === 'cpu' ? 'core' : BYTE_RESOURCES.has(resource) ? 'byte' : undefined;
      const value = parseQuantity(quantity as string | number);
      if (unit === undefined || value === undefined) continue;
      b.add(
        'kube_pod_container_resource_requests',
        {
          ...id,
          container: c.name,
          node: spec?.nodeName,
          resource: resource.replace(/[^a-zA-Z0-9_]/g, '_'),
          unit,
        },
        // Quantities are rounded up: CPU to the millicore, bytes to the byte.
        unit === 'core' ? Math.ceil(value * 1000 - 1e-9) / 1000 : Math.ceil(value - 1e-9),
      );
    }
  }
}

const BYTE_RESOURCES = new Set(['memory', 'storage', 'ephemeral-storage']);

interface SpecContainer {
  readonly name: string;
  readonly image?: string;
  readonly restartPolicy?: string;
}

function containerSeries(
  b: FamilyBuilder,
  prefix: 'kube_pod_container' | 'kube_pod_init_container',
  id: Readonly<Record<string, string | undefined>>,
  specs: readonly SpecContainer[],
  statuses: readonly V1ContainerStatus[],
): void {
  const name = (suffix: string) => `${prefix}_${suffix}` as KsmFamily;
  for (const c of specs) {
    const cs = statuses.find((s) => s.name === c.name);
    if (!cs) continue;
    b.add(
      name('info'),
      {
        ...id,
        container: cs.name,
        image_spec: c.image,
        image: cs.image,
        image_id: cs.imageID,
        container_id: cs.containerID,
        ...(prefix === 'kube_pod_init_container' ? { restart_policy: c.restartPolicy } : {}),
      },
      1,
    );
  }
  for (const cs of statuses) {
    const labels = { ...id, container: cs.name };
    const state = cs.state ?? {};
    b.add(name('status_ready'), labels, flag(cs.ready));
    b.add(name('status_running'), labels, flag(Boolean(state.running)));
    b.add(name('status_waiting'), labels, flag(Boolean(state.waiting)));
    b.add(name('status_terminated'), labels, flag(Boolean(state.terminated)));
    if (state.waiting) b.add(name('status_waiting_reason'), { ...labels, reason: state.waiting.reason }, 1);
    if (state.terminated)
      b.add(name('status_terminated_reason'), { ...labels, reason: state.terminated.reason }, 1);
    const last = cs.lastState?.terminated;
    if (last) b.add(name('status_last_terminated_reason'), { ...labels, reason: last.reason }, 1);
    b.add(name('status_restarts_total'), labels, cs.restartCount ?? 0);
  }
}

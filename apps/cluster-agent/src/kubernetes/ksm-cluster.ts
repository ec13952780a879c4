/**
 * kube_node_*, kube_service_* and kube_endpoint_address series, as kube-state-metrics v2
 * computes them. kube_endpoint_address comes from EndpointSlices rather than core/v1 Endpoints
 * (see resources.ts): `endpoint` is the slice's `kubernetes.io/service-name`, an address is
 * `ready="true"` when its `conditions.ready` is not false (unset means ready, per the API), and
 * terminating endpoints that are not ready are left out, as the Endpoints controller leaves them
 * out of Endpoints. An address in two slices of a service is one series.
 */
import type { V1EndpointSlice, V1Node, V1Service } from '@kubernetes/client-node';
import type { FamilyBuilder } from './families.ts';
import { kubeMapToLabels } from './label-names.ts';

/** Adds the node's series. */
export function addNodeSeries(b: FamilyBuilder, n: V1Node): void {
  const id = { node: n.metadata?.name };
  const info = n.status?.nodeInfo;
  // The last InternalIP, as kube-state-metrics picks it.
  const internalIp = (n.status?.addresses ?? []).filter((a) => a.type === 'InternalIP').at(-1)?.address;
  b.add(
    'kube_node_info',
    {
      ...id,
      kernel_version: info?.kernelVersion,
      os_image: info?.osImage,
      container_runtime_version: info?.containerRuntimeVersion,
      kubelet_version: info?.kubeletVersion,
      kubeproxy_version: 'deprecated',
      provider_id: n.spec?.providerID,
      pod_cidr: n.spec?.podCIDR,
      system_uuid: info?.systemUUID,
      internal_ip: internalIp,
    },
    1,
  );
  b.add('kube_node_labels', { ...id, ...kubeMapToLabels('label', n.metadata?.labels) }, 1);
  b.add('kube_node_spec_unschedulable', id, n.spec?.unschedulable ? 1 : 0);
  for (const c of n.status?.conditions ?? []) {
    for (const s of ['true', 'false', 'unknown']) {
      b.add(
        'kube_node_status_condition',
        { ...id, condition: c.type, status: s },
        c.status.toLowerCase() === s ? 1 : 0,
      );
    }
  }
}

/** Adds the service's series. */
export function addServiceSeries(b: FamilyBuilder, s: V1Service): void {
  const id = { namespace: s.metadata?.namespace, service: s.metadata?.name, uid: s.metadata?.uid };
  b.add(
    'kube_service_info',
    {
      ...id,
      cluster_ip: s.spec?.clusterIP,
      external_name: s.spec?.externalName,
      load_balancer_ip: s.spec?.loadBalancerIP,
      external_traffic_policy: s.spec?.externalTrafficPolicy,
    },
    1,
  );
  b.add('kube_service_spec_type', { ...id, type: s.spec?.type }, 1);
  for (const ingress of s.status?.loadBalancer?.ingress ?? []) {
    b.add(
      'kube_service_status_load_balancer_ingress',
      { ...id, ip: ingress.ip, hostname: ingress.hostname },
      1,
    );
  }
}

/** Adds kube_endpoint_address for all slices, merged by service. */
export function addEndpointSeries(b: FamilyBuilder, slices: Iterable<V1EndpointSlice>): void {
  const seen = new Set<string>();
  for (const slice of slices) {
    const service = slice.metadata?.labels?.['kubernetes.io/service-name'];
    if (!service) continue;
    for (const port of slice.ports ?? []) {
      for (const ep of slice.endpoints ?? []) {
        const ready = ep.conditions?.ready !== false;
        if (!ready && ep.conditions?.terminating === true) continue;
        for (const ip of ep.addresses) {
          const labels = {
            namespace: slice.metadata?.namespace,
            endpoint: service,
            port_protocol: port.protocol ?? 'TCP',
            port_number: port.port === undefined ? undefined : String(port.port),
            port_name: port.name,
            ip,
            ready: String(ready),
          };
          const key = JSON.stringify(labels);
          if (seen.has(key)) continue;
          seen.add(key);
          b.add('kube_endpoint_address', labels, 1);
        }
      }
    }
  }
}

/**
 * kube-state-metrics series from a recorded namespace served by the fake API server, read through
 * the real client library: names, labels and values as kube-state-metrics v2 gives them.
 */
import { formatExposition, type MetricFamily } from '@vigil/agent-kit';
import { silentLogger } from '@vigil/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubernetesWatch, type KubernetesWatch } from './index.ts';
import { fakeClusterFromFixtures } from './testing/fixtures.ts';
import type { FakeApiServer } from './testing/fake-api-server.ts';

let server: FakeApiServer;
let watch: KubernetesWatch;
let families: MetricFamily[];

beforeAll(async () => {
  server = await fakeClusterFromFixtures();
  watch = await startKubernetesWatch({ kubeConfig: server.kubeConfig(), logger: silentLogger });
  await watch.ready();
  families = watch.families();
});

afterAll(async () => {
  await watch.stop();
  await server.close();
});

/** The samples of `name` whose labels include `match`. */
function samples(name: string, match: Record<string, string> = {}) {
  const family = families.find((f) => f.name === name);
  return (family?.samples ?? []).filter((s) => Object.entries(match).every(([k, v]) => s.labels[k] === v));
}

function value(name: string, match: Record<string, string>): number | undefined {
  const found = samples(name, match);
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(match)} matches ${found.length} samples`);
  return found[0]?.value;
}

const CRASHING = { namespace: 'shop', pod: 'frontend-7d9c8b6f5d-m5n7r', container: 'frontend' };

describe('kube-state-metrics series', () => {
  it('reports every watch as listed, without errors', () => {
    const status = watch.status();
    expect(Object.keys(status).sort()).toEqual([
      'cronjobs',
      'daemonsets',
      'deployments',
      'endpointslices',
      'jobs',
      'nodes',
      'pods',
      'replicasets',
      'services',
      'statefulsets',
    ]);
    for (const s of Object.values(status)) expect(s).toEqual({ synced: true });
  });

  it('describes a pod with kube_pod_info, labelled like kube-state-metrics', () => {
    expect(samples('kube_pod_info', { pod: 'frontend-7d9c8b6f5d-x2k9p' })).toEqual([
      {
        labels: {
          namespace: 'shop',
          pod: 'frontend-7d9c8b6f5d-x2k9p',
          uid: '0f6a2d1e-7b3c-4a5d-9e8f-1a2b3c4d5e61',
          host_ip: '10.0.1.23',
          pod_ip: '10.244.1.11',
          node: 'worker-1',
          created_by_kind: 'ReplicaSet',
          created_by_name: 'frontend-7d9c8b6f5d',
          host_network: 'false',
        },
        value: 1,
      },
    ]);
    expect(samples('kube_pod_info')).toHaveLength(7);
  });

  it('puts namespace, pod and uid on every pod series (Coroot joins on uid)', () => {
    for (const f of families.filter((x) => x.name.startsWith('kube_pod_'))) {
      for (const s of f.samples)
        expect(Object.keys(s.labels), f.name).toEqual(expect.arrayContaining(['namespace', 'pod', 'uid']));
    }
  });

  it('exports the pod labels as label_* and only allowlisted annotations', () => {
    expect(samples('kube_pod_labels', { pod: 'postgres-0' })[0]?.labels).toEqual({
      namespace: 'shop',
      pod: 'postgres-0',
      uid: '7c1d9e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f',
      label_app_kubernetes_io_name: 'postgres',
      label_app_kubernetes_io_part_of: 'shop',
      label_apps_kubernetes_io_pod_index: '0',
      label_controller_revision_hash: 'postgres-5d8f9c7b6',
      label_statefulset_kubernetes_io_pod_name: 'postgres-0',
    });
    // The postgres pod's annotations name a Secret; none of them is allowlisted.
    expect(samples('kube_pod_annotations', { pod: 'postgres-0' })[0]?.labels).toEqual({
      namespace: 'shop',
      pod: 'postgres-0',
      uid: '7c1d9e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f',
    });
  });

  it('gives five phase series per pod, 1 for the current phase', () => {
    const phases = samples('kube_pod_status_phase', { pod: 'fluent-bit-7xk2m' });
    expect(phases.map((s) => [s.labels.phase, s.value])).toEqual([
      ['Pending', 0],
      ['Succeeded', 0],
      ['Failed', 0],
      ['Unknown', 0],
      ['Running', 1],
    ]);
  });

  it('shows the crash-looping container: not ready, waiting in CrashLoopBackOff, 7 restarts, last exit Error', () => {
    expect(
      samples('kube_pod_status_ready', { pod: CRASHING.pod }).map((s) => [s.labels.condition, s.value]),
    ).toEqual([
      ['true', 0],
      ['false', 1],
      ['unknown', 0],
    ]);
    expect(value('kube_pod_status_scheduled', { pod: CRASHING.pod, condition: 'true' })).toBe(1);
    expect(value('kube_pod_container_status_ready', CRASHING)).toBe(0);
    expect(value('kube_pod_container_status_running', CRASHING)).toBe(0);
    expect(value('kube_pod_container_status_waiting', CRASHING)).toBe(1);
    expect(
      samples('kube_pod_container_status_waiting_reason', CRASHING).map((s) => [s.labels.reason, s.value]),
    ).toEqual([['CrashLoopBackOff', 1]]);
    expect(samples('kube_pod_container_status_terminated_reason', CRASHING)).toEqual([]);
    expect(value('kube_pod_container_status_last_terminated_reason', { ...CRASHING, reason: 'Error' })).toBe(
      1,
    );
    expect(value('kube_pod_container_status_restarts_total', CRASHING)).toBe(7);
    expect(families.find((f) => f.name === 'kube_pod_container_status_restarts_total')?.type).toBe('counter');
  });

  it('describes containers and init containers, and CPU and memory requests in cores and bytes', () => {
    expect(
      samples('kube_pod_container_info', { pod: 'postgres-0', container: 'postgres' })[0]?.labels,
    ).toMatchObject({
      image_spec: 'docker.io/library/postgres:16.2',
      image: 'docker.io/library/postgres:16.2',
      image_id:
        'docker.io/library/postgres@sha256:6b841c8f6a819884207402f1209a8116844365df15fca8cf556fc54a24c70800',
      container_id: 'containerd://d1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f904',
    });
    expect(value('kube_pod_init_container_info', { pod: 'postgres-0', container: 'init-permissions' })).toBe(
      1,
    );
    expect(
      value('kube_pod_init_container_status_terminated_reason', { pod: 'postgres-0', reason: 'Completed' }),
    ).toBe(1);
    const requests = samples('kube_pod_container_resource_requests', {
      pod: 'postgres-0',
      container: 'postgres',
    });
    expect(requests.map((s) => [s.labels.resource, s.labels.unit, s.labels.node, s.value])).toEqual([
      ['cpu', 'core', 'worker-1', 0.5],
      ['memory', 'byte', 'worker-1', 1073741824],
    ]);
  });

  it('counts the deployment with 2 of 3 replicas available, with its SLO annotations', () => {
    const id = { namespace: 'shop', deployment: 'frontend' };
    expect(value('kube_deployment_spec_replicas', id)).toBe(3);
    expect(value('kube_deployment_status_replicas_available', id)).toBe(2);
    expect(value('kube_deployment_status_replicas_unavailable', id)).toBe(1);
    // The label names the model reads (packages/model/src/workload-annotations.ts).
    expect(samples('kube_deployment_annotations', id)[0]?.labels).toEqual({
      ...id,
      annotation_coroot_com_slo_availability_objective: '99.9',
      annotation_coroot_com_slo_latency_threshold: '250ms',
    });
    expect(samples('kube_deployment_labels', id)[0]?.labels).toEqual({
      ...id,
      label_app_kubernetes_io_name: 'frontend',
      label_app_kubernetes_io_part_of: 'shop',
    });
    expect(samples('kube_replicaset_owner', { replicaset: 'frontend-7d9c8b6f5d' })[0]?.labels).toEqual({
      namespace: 'shop',
      replicaset: 'frontend-7d9c8b6f5d',
      owner_kind: 'Deployment',
      owner_name: 'frontend',
      owner_is_controller: 'true',
    });
    expect(value('kube_replicaset_spec_replicas', { replicaset: 'frontend-7d9c8b6f5d' })).toBe(3);
  });

  it('counts the statefulset, the daemonset and the cronjob, with their annotations', () => {
    const sts = { namespace: 'shop', statefulset: 'postgres' };
    expect(value('kube_statefulset_replicas', sts)).toBe(1);
    expect(value('kube_statefulset_status_replicas_ready', sts)).toBe(1);
    expect(samples('kube_statefulset_annotations', sts)[0]?.labels).toEqual({
      ...sts,
      annotation_coroot_com_slo_latency_objective: '99',
    });
    const ds = { namespace: 'logging', daemonset: 'fluent-bit' };
    expect(value('kube_daemonset_status_desired_number_scheduled', ds)).toBe(1);
    expect(value('kube_daemonset_status_number_available', ds)).toBe(1);
    expect(samples('kube_daemonset_annotations', ds)[0]?.labels).toEqual(ds);
    expect(samples('kube_cronjob_info', { cronjob: 'report-generator' })[0]?.labels).toEqual({
      namespace: 'shop',
      cronjob: 'report-generator',
      schedule: '0 * * * *',
      concurrency_policy: 'Forbid',
      timezone: 'local',
    });
    expect(value('kube_job_owner', { job_name: 'report-generator-28503960', owner_kind: 'CronJob' })).toBe(1);
  });

  it('describes the node', () => {
    expect(samples('kube_node_info')).toEqual([
      {
        labels: {
          node: 'worker-1',
          kernel_version: '6.1.0-18-cloud-amd64',
          os_image: 'Debian GNU/Linux 12 (bookworm)',
          container_runtime_version: 'containerd://1.7.13',
          kubelet_version: 'v1.29.2',
          kubeproxy_version: 'deprecated',
          provider_id: 'aws:///eu-west-1a/i-0a1b2c3d4e5f67890',
          pod_cidr: '10.244.1.0/24',
          system_uuid: 'ec2a1b2c-3d4e-5f60-7182-93a4b5c6d7e8',
          internal_ip: '10.0.1.23',
        },
        value: 1,
      },
    ]);
    expect(samples('kube_node_labels')[0]?.labels).toMatchObject({
      label_topology_kubernetes_io_zone: 'eu-west-1a',
    });
    expect(value('kube_node_status_condition', { condition: 'Ready', status: 'true' })).toBe(1);
  });

  it('describes services and maps them to pod addresses through their EndpointSlices', () => {
    expect(samples('kube_service_info', { service: 'frontend' })[0]?.labels).toEqual({
      namespace: 'shop',
      service: 'frontend',
      uid: 'e2f3a4b5-c6d7-4e8f-9a0b-1c2d3e4f5a6b',
      cluster_ip: '10.96.12.34',
      external_traffic_policy: 'Cluster',
    });
    expect(value('kube_service_spec_type', { service: 'frontend', type: 'LoadBalancer' })).toBe(1);
    expect(value('kube_service_info', { service: 'postgres', cluster_ip: 'None' })).toBe(1);
    expect(
      samples('kube_service_status_load_balancer_ingress', { service: 'frontend' })[0]?.labels.hostname,
    ).toBe('a1b2c3d4e5f6-1234567890.eu-west-1.elb.amazonaws.com');
    const addresses = samples('kube_endpoint_address', { endpoint: 'frontend' }).map((s) => [
      s.labels.ip,
      s.labels.ready,
    ]);
    // The terminating, not-ready 10.244.1.9 is not listed, as in core/v1 Endpoints.
    expect(addresses).toEqual([
      ['10.244.1.11', 'true'],
      ['10.244.1.12', 'true'],
      ['10.244.1.13', 'false'],
    ]);
    expect(samples('kube_endpoint_address', { endpoint: 'postgres' })[0]?.labels).toEqual({
      namespace: 'shop',
      endpoint: 'postgres',
      port_protocol: 'TCP',
      port_number: '5432',
      port_name: 'postgres',
      ip: '10.244.1.20',
      ready: 'true',
    });
  });

  it('formats as Prometheus text', () => {
    const text = formatExposition(families);
    expect(text).toContain('# TYPE kube_pod_container_status_restarts_total counter\n');
    expect(text).toContain('kube_deployment_spec_replicas{namespace="shop",deployment="frontend"} 3\n');
  });
});

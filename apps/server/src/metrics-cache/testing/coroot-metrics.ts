/**
 * Synthetic metrics with the names and labels Coroot's node agent and cluster agent send, for
 * the cache's tests and benchmark: every metric a default registry query selects, per node and
 * per container, deterministic (no randomness), in time order.
 */
import type { Label, MetricSeries } from '@vigil/protocols';

export interface CorootMetricsOptions {
  readonly nodes: number;
  readonly containers: number;
  /** Sample times: `startMs + offsetMs + k * stepMs` < `endMs`. */
  readonly startMs: number;
  readonly endMs: number;
  readonly stepMs: number;
  /** Scrapes rarely fall on the evaluation grid; default 3 s after it. */
  readonly offsetMs?: number;
}

type Shape = (k: number, i: number) => number;

const labels = (o: Record<string, string>): Label[] =>
  Object.entries(o)
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

const counter =
  (perSample: number): Shape =>
  (k, i) =>
    k * perSample * (1 + (i % 7) / 3) + i;
const gauge =
  (base: number, amplitude: number): Shape =>
  (k, i) =>
    base * (1 + (i % 5)) + amplitude * Math.sin(k / 9 + i);

/** The series (without samples) and the value shape of each. */
function layout(nodes: number, containers: number): Array<{ labels: Label[]; shape: Shape; index: number }> {
  const out: Array<{ labels: Label[]; shape: Shape; index: number }> = [];
  const add = (name: string, base: Record<string, string>, shape: Shape, index: number) =>
    out.push({ labels: labels({ __name__: name, ...base }), shape, index });
  for (let n = 0; n < nodes; n++) {
    const node = { machine_id: `m${n}`, system_uuid: `uuid-${n}`, instance: `node-${n}` };
    for (const mode of ['user', 'system', 'idle']) {
      add('node_resources_cpu_usage_seconds_total', { ...node, mode }, counter(mode === 'idle' ? 10 : 2), n);
    }
    add('node_resources_cpu_logical_cores', node, () => 8, n);
    add('node_resources_memory_total_bytes', node, () => 32e9, n);
    add('node_resources_memory_available_bytes', node, gauge(8e9, 1e9), n);
    add('node_resources_disk_io_time_seconds_total', { ...node, device: 'sda' }, counter(3), n);
    add('node_net_received_bytes_total', { ...node, interface: 'eth0' }, counter(1e6), n);
    add('node_net_transmitted_bytes_total', { ...node, interface: 'eth0' }, counter(5e5), n);
    add('pg_up', { address: `10.0.${n}.1:5432` }, () => 1, n);
    add('pg_latency_seconds', { address: `10.0.${n}.1:5432`, summary: 'p99' }, gauge(0.01, 0.002), n);
    add('redis_up', { address: `10.0.${n}.2:6379` }, () => 1, n);
  }
  for (let c = 0; c < containers; c++) {
    const app = `/k8s/ns${c % 10}/app${c % 50}`;
    const ctr = { machine_id: `m${c % Math.max(1, nodes)}`, container_id: `${app}-${c}/main`, app_id: app };
    const dst = { destination: `10.1.${c % 250}.10:80`, actual_destination: `10.2.${c % 250}.10:80` };
    add('container_resources_cpu_usage_seconds_total', ctr, counter(0.3), c);
    add('container_resources_cpu_limit_cores', ctr, () => 2, c);
    add('container_resources_cpu_throttled_seconds_total', ctr, counter(0.01), c);
    add('container_resources_memory_rss_bytes', ctr, gauge(2e8, 1e7), c);
    add('container_resources_memory_limit_bytes', ctr, () => 1e9, c);
    add('container_restarts_total', ctr, (k) => Math.floor(k / 200), c);
    add('container_oom_kills_total', ctr, () => 0, c);
    add('container_net_tcp_successful_connects_total', { ...ctr, ...dst }, counter(4), c);
    add('container_net_tcp_failed_connects_total', { ...ctr, destination: dst.destination }, counter(0.1), c);
    add('container_net_tcp_retransmits_total', { ...ctr, ...dst }, counter(0.2), c);
    add('container_net_tcp_active_connections', { ...ctr, ...dst }, gauge(10, 3), c);
    add(
      'container_net_latency_seconds',
      { ...ctr, destination_ip: `10.1.${c % 250}.10` },
      gauge(0.001, 2e-4),
      c,
    );
    add('container_http_requests_total', { ...ctr, ...dst, status: '200' }, counter(20), c);
    for (const le of ['0.01', '0.1', '1', '+Inf']) {
      const share = { '0.01': 0.5, '0.1': 0.9, '1': 0.99, '+Inf': 1 }[le]!;
      add(
        'container_http_requests_duration_seconds_total_bucket',
        { ...ctr, ...dst, le },
        (k, i) => Math.floor(k * 20 * share) + i,
        c,
      );
    }
    add(
      'container_log_messages_total',
      { ...ctr, level: 'error', source: 'stdout', pattern_hash: 'abc' },
      counter(0.5),
      c,
    );
  }
  return out;
}

/** All series with their samples. */
export function corootMetrics(o: CorootMetricsOptions): MetricSeries[] {
  const offset = o.offsetMs ?? 3_000;
  const times: number[] = [];
  for (let t = o.startMs + offset; t < o.endMs; t += o.stepMs) times.push(t);
  const k0 = Math.floor((o.startMs + offset) / o.stepMs);
  return layout(o.nodes, o.containers).map((s) => ({
    labels: s.labels,
    timestampsMs: times,
    // Values depend on absolute time, so batches written one after another join up.
    values: times.map((_, j) => s.shape(k0 + j, s.index)),
  }));
}

/** Series per node and per container (for sizing). */
export function corootSeriesCount(nodes: number, containers: number): number {
  return layout(nodes, containers).length;
}

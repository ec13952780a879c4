/**
 * The PromQL queries the model is built from, registered in the metrics cache under these ids (an
 * id is a contract: build-world.ts reads by id; the text may change, and the cache then starts
 * that query over). Metric names are those of Coroot's node and cluster agents (shared reference
 * coroot-compat.md). Mostly series per container or per node, unaggregated: the model aggregates
 * in memory, like Coroot's own cache. Counters read as "did it change" (restarts, OOM kills, log
 * messages) are cached raw with `% 1e7`, which drops `__name__` and keeps the value exact below
 * ten million. `$RANGE` is the window of range functions, set from the cache step.
 */
import { L7_PROTOCOLS, type L7Protocol } from './world.ts';

/**
 * Window of `$RANGE`: four steps (Grafana's `$__rate_interval` rule: a step is the scrape
 * interval, so four samples), at least ten seconds. It is also how long a rate takes to fall to
 * zero after something stopped, so it bounds how fast the model sees a dependency go away: at
 * the default 15 s scrape one minute, at a 2 s scrape ten seconds (it was one minute at every
 * step, and the live test's Net check took 71 s to turn red).
 */
export function rangeWindowMs(stepMs: number): number {
  return Math.max(4 * stepMs, 10_000);
}

/** A PromQL duration for a whole number of milliseconds: `60s`, `1500ms`. */
function durationText(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** The text evaluated for a query at the given step (`$RANGE` replaced). */
export function expandQuery(query: string, stepMs: number): string {
  return query.replaceAll('$RANGE', durationText(rangeWindowMs(stepMs)));
}

export interface ModelQuery {
  /** `[a-z][a-z0-9_]*`. */
  readonly id: string;
  readonly query: string;
  readonly description: string;
}

/** What each L7 protocol's counters are called (`container_<proto>_<noun>_total`). */
export const L7_NOUN: Record<L7Protocol, string> = {
  http: 'requests',
  postgres: 'queries',
  mysql: 'queries',
  redis: 'queries',
  memcached: 'queries',
  mongo: 'queries',
  kafka: 'requests',
  rabbitmq: 'messages',
  nats: 'messages',
  dns: 'requests',
};

/** Protocols whose servers' inbound side the agent measures (feeds SLOs). */
export const INBOUND_PROTOCOLS: readonly L7Protocol[] = [
  'http',
  'postgres',
  'mysql',
  'redis',
  'memcached',
  'mongo',
];
/** Protocols with a latency histogram (brokers count messages only). */
const WITH_HISTOGRAM = (p: L7Protocol): boolean => p !== 'rabbitmq' && p !== 'nats';

/** Query ids of one protocol's request rate and latency buckets, outbound or inbound. */
export function l7QueryIds(protocol: L7Protocol, inbound: boolean): { count: string; histogram: string } {
  const side = inbound ? 'inbound' : 'outbound';
  return { count: `l7_${protocol}_${side}_count`, histogram: `l7_${protocol}_${side}_histogram` };
}

function l7Queries(): ModelQuery[] {
  const out: ModelQuery[] = [];
  for (const protocol of L7_PROTOCOLS) {
    for (const inbound of [false, true]) {
      if (inbound && !INBOUND_PROTOCOLS.includes(protocol)) continue;
      const family = `container_${protocol}_${inbound ? 'inbound_' : ''}${L7_NOUN[protocol]}`;
      const ids = l7QueryIds(protocol, inbound);
      const side = inbound
        ? `${protocol} ${L7_NOUN[protocol]} served`
        : `outbound ${protocol} ${L7_NOUN[protocol]}`;
      out.push({
        id: ids.count,
        query: `rate(${family}_total[$RANGE])`,
        description: `${side} per second, by status${inbound ? '' : ' and destination'}`,
      });
      if (WITH_HISTOGRAM(protocol))
        out.push({
          id: ids.histogram,
          query: `rate(${family}_duration_seconds_total_bucket[$RANGE])`,
          description: `${side}: latency histogram buckets, per second`,
        });
    }
  }
  return out;
}

/** Cluster-agent queries: series labelled `address`, matched to the instance listening there. */
export const DATABASE_QUERY_IDS: readonly string[] = [
  'pg_up',
  'pg_latency_seconds',
  'pg_connections',
  'pg_max_connections',
  'mysql_up',
  'mysql_replication_lag',
  'redis_up',
  'redis_commands_duration',
  'memcached_up',
  'mongo_up',
];

export const MODEL_QUERIES: readonly ModelQuery[] = [
  // Identity
  { id: 'node_info', query: 'node_info', description: 'Node hostname and kernel' },
  { id: 'node_ips', query: 'node_net_interface_ip', description: 'Node interface addresses' },
  { id: 'container_info', query: 'container_info', description: 'Containers the agents report, with image' },
  {
    id: 'kube_workload_annotations',
    query: 'kube_deployment_annotations or kube_statefulset_annotations or kube_daemonset_annotations',
    description: 'Kubernetes workload annotations (kube-state-metrics form), e.g. coroot.com/slo-*',
  },
  {
    id: 'kube_desired_replicas',
    query:
      'kube_deployment_spec_replicas or kube_statefulset_replicas or kube_daemonset_status_desired_number_scheduled',
    description: 'Replicas Kubernetes workloads are meant to run (kube-state-metrics form)',
  },
  {
    id: 'container_application_type',
    query: 'container_application_type',
    description: 'Application types detected in containers',
  },
  {
    id: 'container_listens',
    query: 'container_net_tcp_listen_info',
    description: 'Addresses containers listen on',
  },
  // Nodes
  {
    id: 'node_cpu_usage_percent',
    query:
      'sum without(mode) (rate(node_resources_cpu_usage_seconds_total{mode!="idle"}[$RANGE])) / sum without(mode) (rate(node_resources_cpu_usage_seconds_total[$RANGE])) * 100',
    description: 'Node CPU busy share, percent',
  },
  { id: 'node_cpu_cores', query: 'node_resources_cpu_logical_cores', description: 'Node logical CPU cores' },
  {
    id: 'node_memory_total_bytes',
    query: 'node_resources_memory_total_bytes',
    description: 'Node memory size',
  },
  {
    id: 'node_memory_available_bytes',
    query: 'node_resources_memory_available_bytes',
    description: 'Node memory available to new processes',
  },
  {
    id: 'node_disk_io_time',
    query: 'rate(node_resources_disk_io_time_seconds_total[$RANGE])',
    description: 'Node disk busy time per second, by device',
  },
  {
    id: 'node_net_rx_bytes',
    query: 'rate(node_net_received_bytes_total[$RANGE])',
    description: 'Node network bytes received per second, by interface',
  },
  {
    id: 'node_net_tx_bytes',
    query: 'rate(node_net_transmitted_bytes_total[$RANGE])',
    description: 'Node network bytes sent per second, by interface',
  },
  // Containers: CPU, memory, disk, lifecycle
  {
    id: 'container_cpu_usage',
    query: 'rate(container_resources_cpu_usage_seconds_total[$RANGE])',
    description: 'Container CPU usage, cores',
  },
  {
    id: 'container_cpu_limit',
    query: 'container_resources_cpu_limit_cores',
    description: 'Container CPU limit, cores',
  },
  {
    id: 'container_throttled_time',
    query: 'rate(container_resources_cpu_throttled_seconds_total[$RANGE])',
    description: 'Container CPU throttling, seconds per second',
  },
  {
    id: 'container_memory_rss',
    query: 'container_resources_memory_rss_bytes',
    description: 'Container resident memory',
  },
  {
    id: 'container_memory_limit',
    query: 'container_resources_memory_limit_bytes',
    description: 'Container memory limit',
  },
  {
    id: 'container_volume_used',
    query: 'container_resources_disk_used_bytes',
    description: 'Container volume space used, by mount point',
  },
  {
    id: 'container_restarts',
    query: 'container_restarts_total % 10000000',
    description: 'Container restarts (counter)',
  },
  {
    id: 'container_oom_kills_total',
    query: 'container_oom_kills_total % 10000000',
    description: 'Container OOM kills (counter)',
  },
  // TCP
  {
    id: 'container_net_tcp_successful_connects',
    query: 'rate(container_net_tcp_successful_connects_total[$RANGE])',
    description: 'TCP connects per second, by destination',
  },
  {
    id: 'container_net_tcp_failed_connects',
    query: 'rate(container_net_tcp_failed_connects_total[$RANGE])',
    description: 'Failed TCP connects per second, by destination',
  },
  {
    id: 'container_net_tcp_retransmits',
    query: 'rate(container_net_tcp_retransmits_total[$RANGE])',
    description: 'TCP retransmits per second, by destination',
  },
  {
    id: 'container_net_tcp_active_connections',
    query: 'container_net_tcp_active_connections',
    description: 'Open TCP connections, by destination',
  },
  {
    id: 'container_net_latency',
    query: 'container_net_latency_seconds',
    description: 'Round-trip time to a destination IP',
  },
  // Logs
  {
    id: 'container_log_messages',
    query: 'container_log_messages_total % 10000000',
    description: 'Log messages by level and pattern (counter)',
  },
  // Databases (cluster agent)
  { id: 'pg_up', query: 'pg_up', description: 'Postgres reachable' },
  { id: 'pg_latency_seconds', query: 'pg_latency_seconds', description: 'Postgres query latency summary' },
  { id: 'mysql_up', query: 'mysql_up', description: 'MySQL/MariaDB reachable' },
  { id: 'redis_up', query: 'redis_up', description: 'Redis reachable' },
  {
    id: 'redis_commands_duration',
    query: 'rate(redis_commands_duration_seconds_total[$RANGE])',
    description: 'Redis command time per second, by command',
  },
  {
    id: 'container_volume_size',
    query: 'container_resources_disk_size_bytes',
    description: 'Container volume size, by mount point',
  },
  {
    id: 'container_memory_pressure',
    query: 'rate(container_resources_memory_pressure_waiting_seconds_total{kind="some"}[$RANGE])',
    description: 'Time tasks waited for memory, seconds per second',
  },
  {
    id: 'container_disk_delay',
    query: 'rate(container_resources_disk_delay_seconds_total[$RANGE])',
    description: 'Time tasks waited for disk I/O, seconds per second',
  },
  // Runtimes
  {
    id: 'container_jvm_safepoint',
    query: 'rate(container_jvm_safepoint_time_seconds[$RANGE])',
    description: 'JVM time in safepoints, seconds per second',
  },
  {
    id: 'container_python_gil_wait',
    query: 'rate(container_python_thread_lock_wait_time_seconds[$RANGE])',
    description: 'Python threads waiting for the GIL, seconds per second',
  },
  {
    id: 'container_nodejs_event_loop_blocked',
    query: 'rate(container_nodejs_event_loop_blocked_time_seconds_total[$RANGE])',
    description: 'Node.js event loop blocked, seconds per second',
  },
  { id: 'memcached_up', query: 'memcached_up', description: 'Memcached reachable' },
  { id: 'mongo_up', query: 'mongo_up', description: 'MongoDB reachable' },
  {
    id: 'mysql_replication_lag',
    query: 'mysql_replication_lag_seconds',
    description: 'MySQL replication lag',
  },
  {
    id: 'pg_connections',
    query: 'sum without(db, user, state, wait_event_type, query) (pg_connections)',
    description: 'Postgres connections',
  },
  {
    id: 'pg_max_connections',
    query: 'pg_setting{name="max_connections"}',
    description: 'Postgres max_connections',
  },
  ...l7Queries(),
];

/**
 * The queries the model needs from day one, over the metric names Coroot's node agent and
 * cluster agent emit (docs: shared reference/coroot-compat.md). Mostly the series per container
 * or per node, unaggregated, like Coroot's own cache: the model aggregates in memory.
 * Counters that the model reads as "did it change" (restarts, OOM kills, log messages) are cached
 * raw with `% 1e7`, which drops `__name__` and keeps the value exact below ten million.
 */
import { QueryRegistry, type QueryDefinition } from './query-registry.ts';

export const DEFAULT_CACHE_QUERIES: readonly QueryDefinition[] = [
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
  // L7
  {
    id: 'container_http_requests_count',
    query: 'rate(container_http_requests_total[$RANGE])',
    description: 'Outbound HTTP/gRPC requests per second, by destination and status',
  },
  {
    id: 'container_http_requests_histogram',
    query: 'rate(container_http_requests_duration_seconds_total_bucket[$RANGE])',
    description: 'Outbound HTTP/gRPC latency histogram buckets, per second',
  },
  {
    id: 'container_postgres_queries_count',
    query: 'rate(container_postgres_queries_total[$RANGE])',
    description: 'Postgres queries per second seen on the wire, by destination and status',
  },
  {
    id: 'container_postgres_queries_histogram',
    query: 'rate(container_postgres_queries_duration_seconds_total_bucket[$RANGE])',
    description: 'Postgres query latency histogram buckets, per second',
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
];

/** A registry holding the default queries; the model registers more on it. */
export function defaultQueryRegistry(): QueryRegistry {
  return new QueryRegistry(DEFAULT_CACHE_QUERIES);
}

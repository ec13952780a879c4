/**
 * Registry-like PromQL for the metrics-cache benchmark: variations of what the model asks for
 * (per-container rates and gauges, `sum by`/`max by` per application and node, histogram
 * quantiles) over the metrics of apps/server/src/metrics-cache/testing/coroot-metrics.ts.
 */
import type { QueryDefinition } from '../../apps/server/src/metrics-cache/query-registry.ts';

const COUNTERS = [
  'container_resources_cpu_usage_seconds_total',
  'container_resources_cpu_throttled_seconds_total',
  'container_net_tcp_successful_connects_total',
  'container_net_tcp_failed_connects_total',
  'container_net_tcp_retransmits_total',
  'container_http_requests_total',
  'container_log_messages_total',
  'container_restarts_total',
  'node_resources_cpu_usage_seconds_total',
  'node_net_received_bytes_total',
];
const GAUGES = [
  'container_resources_memory_rss_bytes',
  'container_resources_memory_limit_bytes',
  'container_resources_cpu_limit_cores',
  'container_net_tcp_active_connections',
  'container_net_latency_seconds',
  'node_resources_memory_available_bytes',
];
const COUNTER_TEMPLATES = [
  'rate(M[$RANGE])',
  'sum by (app_id) (rate(M[$RANGE]))',
  'sum by (machine_id) (rate(M[$RANGE]))',
  'sum by (app_id, machine_id) (rate(M[$RANGE]))',
  'max by (app_id) (rate(M[$RANGE]))',
  'avg by (app_id) (rate(M[$RANGE]))',
  'sum(rate(M[$RANGE]))',
  'topk(10, rate(M[$RANGE]))',
  'increase(M[$RANGE])',
  'sum by (app_id) (increase(M[5m]))',
  'rate(M[5m])',
  'irate(M[$RANGE])',
  'sum without (container_id) (rate(M[$RANGE]))',
  'count by (app_id) (rate(M[$RANGE]) > 0)',
  'rate(M[$RANGE]) > 0',
  'sum by (app_id) (rate(M{app_id=~"/k8s/ns[0-4]/.*"}[$RANGE]))',
  'min by (app_id) (rate(M[$RANGE]))',
  'stddev by (app_id) (rate(M[$RANGE]))',
  'sum by (app_id) (rate(M[$RANGE])) / count by (app_id) (rate(M[$RANGE]))',
  'quantile by (app_id) (0.9, rate(M[$RANGE]))',
];
const GAUGE_TEMPLATES = [
  'M',
  'sum by (app_id) (M)',
  'max by (app_id) (M)',
  'avg by (machine_id) (M)',
  'avg_over_time(M[$RANGE])',
  'max_over_time(M[5m])',
  'min_over_time(M[5m])',
  'M > 0',
  'sum(M)',
  'count by (app_id) (M)',
  'topk(5, M)',
  'deriv(M[5m])',
  'delta(M[5m])',
  'sum by (app_id, machine_id) (M)',
  'quantile by (app_id) (0.5, M)',
];
const HISTOGRAM = 'container_http_requests_duration_seconds_total_bucket';
const HISTOGRAM_TEMPLATES = [
  'rate(H[$RANGE])',
  ...[0.5, 0.75, 0.9, 0.95, 0.99].flatMap((q) => [
    `histogram_quantile(${q}, sum by (le, app_id) (rate(H[$RANGE])))`,
    `histogram_quantile(${q}, sum by (le, container_id) (rate(H[$RANGE])))`,
    `histogram_quantile(${q}, sum by (le) (rate(H[$RANGE])))`,
  ]),
];

/** `count` distinct queries, in an order that mixes metrics (as a real registry would). */
export function benchQueries(count: number): QueryDefinition[] {
  const texts: string[] = [...HISTOGRAM_TEMPLATES.map((t) => t.replaceAll('H', HISTOGRAM))];
  const rounds = Math.max(COUNTER_TEMPLATES.length, GAUGE_TEMPLATES.length);
  for (let t = 0; t < rounds; t++) {
    const counter = COUNTER_TEMPLATES[t];
    const gauge = GAUGE_TEMPLATES[t];
    if (counter) for (const m of COUNTERS) texts.push(counter.replaceAll('M', m));
    if (gauge) for (const m of GAUGES) texts.push(gauge.replaceAll('M', m));
  }
  const unique = [...new Set(texts)];
  if (unique.length < count) throw new Error(`only ${unique.length} distinct bench queries`);
  return unique.slice(0, count).map((query, i) => ({ id: `bench_q${i}`, query, description: query }));
}

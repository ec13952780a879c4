import type { PrometheusClient, QueryResult } from '@vigil/promql';
import type { Label, LabelMatcher, MetricType } from '@vigil/protocols';
import type { MetricMetadataEntry, MetricQueryOptions, MetricsQueryService } from './query-service.ts';

/** Metrics queries answered by an external Prometheus-compatible backend (VIGIL_PROMETHEUS_URL). */
export class PrometheusQueryService implements MetricsQueryService {
  constructor(private readonly client: PrometheusClient) {}

  instantQuery(query: string, timeMs: number, options: MetricQueryOptions = {}): Promise<QueryResult> {
    return this.client.instantQuery(query, timeMs, options.signal);
  }

  rangeQuery(
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    options: MetricQueryOptions = {},
  ): Promise<QueryResult> {
    return this.client.rangeQuery(query, startMs, endMs, stepMs, options.signal);
  }

  series(
    matchSets: LabelMatcher[][],
    startMs: number,
    endMs: number,
    options: MetricQueryOptions = {},
  ): Promise<Label[][]> {
    return this.client.series(matchSets, startMs, endMs, options.signal);
  }

  labelNames(
    matchSets: LabelMatcher[][],
    startMs: number,
    endMs: number,
    options: MetricQueryOptions = {},
  ): Promise<string[]> {
    return this.client.labelNames(matchSets, startMs, endMs, options.signal);
  }

  labelValues(
    name: string,
    matchSets: LabelMatcher[][],
    startMs: number,
    endMs: number,
    options: MetricQueryOptions = {},
  ): Promise<string[]> {
    return this.client.labelValues(name, matchSets, startMs, endMs, options.signal);
  }

  async metadata(
    metric: string | undefined,
    options: MetricQueryOptions = {},
  ): Promise<Record<string, MetricMetadataEntry[]>> {
    const raw = await this.client.metadata(metric, options.signal);
    const out: Record<string, MetricMetadataEntry[]> = {};
    for (const [name, entries] of Object.entries(raw)) {
      out[name] = entries.map((e) => ({ type: e.type as MetricType, help: e.help, unit: e.unit }));
    }
    return out;
  }
}

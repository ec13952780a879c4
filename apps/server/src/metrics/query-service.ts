import type { Label, LabelMatcher, MetricType } from '@vigil/protocols';
import type { QueryResult } from '@vigil/promql';

export interface MetricQueryOptions {
  signal?: AbortSignal;
}

/** One entry of `/api/v1/metadata`. */
export interface MetricMetadataEntry {
  type: MetricType;
  help: string;
  unit: string;
}

/**
 * Where PromQL queries and the Prometheus-style metadata lookups of one project run: the
 * embedded store with Vigil's engine, or an external Prometheus-compatible backend
 * (VIGIL_PROMETHEUS_URL). The Prometheus HTTP API, the metrics cache and the model all go
 * through this interface and never know which one it is.
 */
export interface MetricsQueryService {
  instantQuery(query: string, timeMs: number, options?: MetricQueryOptions): Promise<QueryResult>;
  rangeQuery(
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    options?: MetricQueryOptions,
  ): Promise<QueryResult>;
  /** Label sets of the series matching any of `matchSets` within the range. */
  series(
    matchSets: LabelMatcher[][],
    startMs: number,
    endMs: number,
    options?: MetricQueryOptions,
  ): Promise<Label[][]>;
  labelNames(
    matchSets: LabelMatcher[][],
    startMs: number,
    endMs: number,
    options?: MetricQueryOptions,
  ): Promise<string[]>;
  labelValues(
    name: string,
    matchSets: LabelMatcher[][],
    startMs: number,
    endMs: number,
    options?: MetricQueryOptions,
  ): Promise<string[]>;
  metadata(
    metric: string | undefined,
    options?: MetricQueryOptions,
  ): Promise<Record<string, MetricMetadataEntry[]>>;
}

/**
 * Where the model reads its data: the metrics cache, by query id (see queries.ts). The server
 * implements this over its MetricsCache; tests implement it over the PromQL engine and an
 * in-memory store (testing/promql-source.ts), evaluating the very same query texts.
 */
import type { TimeGrid } from './time-series.ts';

export interface SourceSeries {
  readonly labels: Readonly<Record<string, string>>;
  /** Any order; a time repeated keeps its last value. */
  readonly timestampsMs: ArrayLike<number>;
  readonly values: ArrayLike<number>;
}

export interface SourceRead {
  readonly series: readonly SourceSeries[];
  /** False when some points of the grid were not available (not cached yet). */
  readonly complete: boolean;
}

export interface ModelDataSource {
  read(queryId: string, grid: TimeGrid, signal?: AbortSignal): Promise<SourceRead>;
}

/** The model's data source in the server: the project's metrics cache, read by query id. */
import type { ModelDataSource, SourceRead, TimeGrid } from '@vigil/model';
import type { MetricsCache } from '../metrics-cache/metrics-cache.ts';

export class CacheModelSource implements ModelDataSource {
  constructor(private readonly cache: MetricsCache) {}

  async read(queryId: string, grid: TimeGrid, signal?: AbortSignal): Promise<SourceRead> {
    if (grid.points === 0) return { series: [], complete: true };
    const endMs = grid.fromMs + (grid.points - 1) * grid.stepMs;
    const read = await this.cache.read(queryId, grid.fromMs, endMs, grid.stepMs, signal);
    return {
      complete: read.missing.length === 0,
      series: read.result.result.map((s) => ({
        labels: Object.fromEntries(s.metric.map((l) => [l.name, l.value])),
        timestampsMs: s.timestampsMs,
        values: s.values,
      })),
    };
  }
}

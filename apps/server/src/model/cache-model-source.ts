/** The model's data source in the server: the project's metrics cache, read by query id. */
import type { ModelDataSource, SourceRead, TimeGrid } from '@vigil/model';
import type { MetricsCache } from '../metrics-cache/metrics-cache.ts';

export class CacheModelSource implements ModelDataSource {
  constructor(private readonly cache: MetricsCache) {}

  async read(queryId: string, grid: TimeGrid, signal?: AbortSignal): Promise<SourceRead> {
    if (grid.points === 0) return { series: [], complete: true };
    const endMs = grid.fromMs + (grid.points - 1) * grid.stepMs;
    const read = await this.cache.readColumns(queryId, grid.fromMs, endMs, grid.stepMs, signal);
    return {
      complete: read.missing.length === 0,
      series: read.series.map((s) => ({
        labels: labelRecord(s.labels),
        timestampsMs: s.timestampsMs,
        values: s.values,
      })),
    };
  }
}

function labelRecord(labels: readonly { name: string; value: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of labels) out[l.name] = l.value;
  return out;
}

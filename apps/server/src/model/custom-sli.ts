/**
 * SLOs written as PromQL (an availability success/total pair, or a latency histogram): the
 * user's own queries, evaluated on the project's metrics backend over the world's grid. They are
 * the one place the model reads the backend rather than the cache — the cache keeps a fixed set of
 * queries shared by every project, and a query typed into an SLO form is neither.
 */
import type { CustomSliData, SloConfig } from '@vigil/audit';
import {
  seriesFromPoints,
  sumSeries,
  type HistogramBucket,
  type TimeGrid,
  type TimeSeries,
} from '@vigil/model';
import type { MetricsQueryService } from '../metrics/query-service.ts';

async function summed(metrics: MetricsQueryService, query: string, grid: TimeGrid): Promise<TimeSeries> {
  const end = grid.fromMs + (grid.points - 1) * grid.stepMs;
  const result = await metrics.rangeQuery(query, grid.fromMs, end, grid.stepMs);
  if (result.resultType !== 'matrix') return sumSeries(grid, []);
  return sumSeries(
    grid,
    result.result.map((s) => seriesFromPoints(grid, s.timestampsMs, s.values)),
  );
}

async function buckets(
  metrics: MetricsQueryService,
  query: string,
  grid: TimeGrid,
): Promise<HistogramBucket[]> {
  const end = grid.fromMs + (grid.points - 1) * grid.stepMs;
  const result = await metrics.rangeQuery(query, grid.fromMs, end, grid.stepMs);
  if (result.resultType !== 'matrix') return [];
  const byLe = new Map<number, TimeSeries[]>();
  for (const s of result.result) {
    const raw = s.metric.find((l) => l.name === 'le')?.value;
    const le = raw === '+Inf' ? Infinity : Number(raw);
    if (raw === undefined || Number.isNaN(le)) continue;
    byLe.set(le, [...(byLe.get(le) ?? []), seriesFromPoints(grid, s.timestampsMs, s.values)]);
  }
  return [...byLe].sort((a, b) => a[0] - b[0]).map(([le, list]) => ({ le, rate: sumSeries(grid, list) }));
}

/** The custom SLI series a config asks for, or undefined when it uses only inbound metrics. */
export async function customSli(
  metrics: MetricsQueryService,
  config: SloConfig,
  grid: TimeGrid,
): Promise<CustomSliData | undefined> {
  const a = config.availability?.sli;
  const l = config.latency?.sli;
  const out: { availability?: CustomSliData['availability']; latencyHistogram?: HistogramBucket[] } = {};
  if (a?.kind === 'promql') {
    out.availability = {
      success: await summed(metrics, a.successQuery, grid),
      total: await summed(metrics, a.totalQuery, grid),
    };
  }
  if (l?.kind === 'histogram') out.latencyHistogram = await buckets(metrics, l.histogramQuery, grid);
  return out.availability || out.latencyHistogram ? out : undefined;
}

/** Request-rate and latency-bucket series of one protocol turned into {@link L7Stats}. */
import type { HistogramBucket, L7Stats } from './world.ts';
import type { LabelledSeries } from './series-index.ts';
import { allocNaN, sumSeries, type TimeGrid, type TimeSeries } from './time-series.ts';

export function l7Stats(
  grid: TimeGrid,
  counts: readonly LabelledSeries[],
  buckets: readonly LabelledSeries[],
): L7Stats {
  const byStatus = new Map<string, TimeSeries[]>();
  for (const c of counts) {
    const status = c.labels['status'] ?? 'unknown';
    const list = byStatus.get(status);
    if (list) list.push(c.series);
    else byStatus.set(status, [c.series]);
  }
  const byLe = new Map<number, TimeSeries[]>();
  for (const b of buckets) {
    const le = b.labels['le'] === '+Inf' ? Infinity : Number(b.labels['le']);
    if (Number.isNaN(le)) continue;
    const list = byLe.get(le);
    if (list) list.push(b.series);
    else byLe.set(le, [b.series]);
  }
  const histogram: HistogramBucket[] = [...byLe.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([le, list]) => ({ le, rate: sumSeries(grid, list) }));
  return {
    requestsByStatus: new Map([...byStatus].map(([status, list]) => [status, sumSeries(grid, list)])),
    histogram,
  };
}

/** Sums several stats of one protocol (instances of an app, connections of an edge). */
export function mergeL7Stats(grid: TimeGrid, stats: readonly L7Stats[]): L7Stats {
  const byStatus = new Map<string, TimeSeries[]>();
  const byLe = new Map<number, TimeSeries[]>();
  for (const s of stats) {
    for (const [status, series] of s.requestsByStatus) {
      const list = byStatus.get(status);
      if (list) list.push(series);
      else byStatus.set(status, [series]);
    }
    for (const b of s.histogram) {
      const list = byLe.get(b.le);
      if (list) list.push(b.rate);
      else byLe.set(b.le, [b.rate]);
    }
  }
  return {
    requestsByStatus: new Map([...byStatus].map(([k, list]) => [k, sumSeries(grid, list)])),
    histogram: [...byLe.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([le, list]) => ({ le, rate: sumSeries(grid, list) })),
  };
}

/** Statuses that count as failed: HTTP 5xx, DB `failed`, DNS errors other than NXDOMAIN… */
export function isFailedStatus(status: string): boolean {
  return (
    /^5\d\d$|^5xx$/.test(status) ||
    status === 'failed' ||
    (status.startsWith('grpc:') && status !== 'grpc:OK' && status !== 'grpc:0')
  );
}

/** Total and failed requests per second. */
export function requestTotals(grid: TimeGrid, stats: L7Stats): { total: TimeSeries; failed: TimeSeries } {
  const all: TimeSeries[] = [];
  const failed: TimeSeries[] = [];
  for (const [status, s] of stats.requestsByStatus) {
    all.push(s);
    if (isFailedStatus(status)) failed.push(s);
  }
  return { total: sumSeries(grid, all), failed: sumSeries(grid, failed) };
}

/**
 * A latency quantile per point from cumulative bucket rates (linear inside the bucket, as
 * Prometheus's histogram_quantile does); NaN where there were no requests.
 */
export function histogramQuantile(
  grid: TimeGrid,
  histogram: readonly HistogramBucket[],
  q: number,
): TimeSeries {
  const values = allocNaN(grid.points);
  if (histogram.length === 0) return { grid, values };
  for (let i = 0; i < grid.points; i++) {
    const total = histogram[histogram.length - 1]!.rate.values[i]!;
    if (!(total > 0)) continue;
    const rank = q * total;
    let prevLe = 0;
    let prevCount = 0;
    for (const b of histogram) {
      const count = b.rate.values[i]!;
      if (Number.isNaN(count)) continue;
      if (count >= rank) {
        if (b.le === Infinity) values[i] = prevLe;
        else
          values[i] =
            count === prevCount
              ? b.le
              : prevLe + ((b.le - prevLe) * (rank - prevCount)) / (count - prevCount);
        break;
      }
      prevLe = b.le;
      prevCount = count;
    }
  }
  return { grid, values };
}

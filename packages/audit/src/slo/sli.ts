/**
 * Service level indicators: per grid point, how many requests per second there were and how many
 * of them count against the objective ("bad": failed for availability, slower than the threshold
 * for latency). Burn rates and incidents only ever see these two series.
 *
 * Failed requests are those the model's `isFailedStatus` names (HTTP 5xx, the databases' `failed`,
 * gRPC errors), so the SLO and the other inspections agree; a 4xx is the client's fault and does
 * not spend the server's error budget.
 *
 * Gaps: `total` is NaN where no source had data (a scrape gap, the agent down); there `bad` is NaN
 * too. Where `total` is defined and the bad series is missing (an app that never returned a 5xx
 * has no `5xx` series at all), `bad` is 0: an absent counter means no such requests.
 */
import {
  emptySeries,
  isFailedStatus,
  sumSeries,
  type Application,
  type HistogramBucket,
  type L7Stats,
  type TimeGrid,
  type TimeSeries,
} from '@vigil/model';

export interface SliSeries {
  /** Requests per second. */
  readonly total: TimeSeries;
  /** Requests per second that count against the objective; defined wherever `total` is. */
  readonly bad: TimeSeries;
}

/** A latency SLI and the histogram boundaries it was read at (see bucketBoundaryFor). */
export interface LatencySliSeries extends SliSeries {
  /** Distinct `le` (seconds) used as "fast enough", ascending; usually one. */
  readonly boundariesSeconds: readonly number[];
}

/** Every inbound protocol's stats of every instance of `app`. */
export function inboundStats(app: Application): L7Stats[] {
  const out: L7Stats[] = [];
  for (const instance of app.instances) for (const stats of instance.inbound.values()) out.push(stats);
  return out;
}

/** Availability SLI from L7 stats (any number of instances and protocols), null when there are none. */
export function availabilitySli(grid: TimeGrid, stats: readonly L7Stats[]): SliSeries | null {
  const all: TimeSeries[] = [];
  const failed: TimeSeries[] = [];
  for (const s of stats) {
    for (const [status, series] of s.requestsByStatus) {
      all.push(series);
      if (isFailedStatus(status)) failed.push(series);
    }
  }
  if (all.length === 0) return null;
  const total = sumSeries(grid, all);
  return { total, bad: badWhereTotal(total, sumSeries(grid, failed)) };
}

/**
 * Availability SLI from a custom PromQL pair already evaluated on the grid: bad = total − success,
 * never below 0 (the two queries are evaluated at slightly different instants and may disagree by
 * a hair). A missing success point where total is defined counts as no successful requests,
 * since PromQL returns nothing for a sum over no series.
 */
export function availabilitySliFromQueries(success: TimeSeries, total: TimeSeries): SliSeries {
  const bad = emptySeries(total.grid);
  for (let i = 0; i < bad.values.length; i++) {
    const t = total.values[i]!;
    if (Number.isNaN(t)) continue;
    const s = success.values[i]!;
    bad.values[i] = Number.isNaN(s) ? t : Math.max(0, t - s);
  }
  return { total, bad };
}

/**
 * The `le` (seconds) read as "fast enough" for a threshold: the threshold itself when it is a
 * boundary, else the largest boundary below it — conservative, a request between that boundary and
 * the threshold counts as slow, so the SLI never claims more compliance than the data shows. Below
 * the smallest boundary there is nothing conservative left, so the smallest boundary is used.
 * `les` ascending and finite. NaN when empty.
 */
export function bucketBoundaryFor(les: readonly number[], thresholdMs: number): number {
  const thresholdSeconds = thresholdMs / 1000;
  let chosen = NaN;
  for (const le of les) {
    // Tolerance: 100 ms parses to 0.1 exactly, but a boundary computed elsewhere may not.
    if (le <= thresholdSeconds * (1 + 1e-9)) chosen = le;
    else break;
  }
  return Number.isNaN(chosen) ? (les[0] ?? NaN) : chosen;
}

/**
 * Latency SLI from cumulative histograms (one per instance and protocol, or one from a custom
 * query): total = the `+Inf` bucket (the last one), bad = total − the bucket at
 * bucketBoundaryFor(threshold). Histograms whose buckets are not sent are skipped; null when none
 * is left.
 */
export function latencySli(
  grid: TimeGrid,
  histograms: readonly (readonly HistogramBucket[])[],
  thresholdMs: number,
): LatencySliSeries | null {
  const totals: TimeSeries[] = [];
  const slows: TimeSeries[] = [];
  const boundaries = new Set<number>();
  for (const buckets of histograms) {
    const last = buckets[buckets.length - 1];
    if (last === undefined) continue;
    const finite = buckets.filter((b) => Number.isFinite(b.le));
    const le = bucketBoundaryFor(
      finite.map((b) => b.le),
      thresholdMs,
    );
    const fast = finite.find((b) => b.le === le);
    const slow = emptySeries(grid);
    const total = emptySeries(grid);
    for (let i = 0; i < slow.values.length; i++) {
      const t = last.rate.values[i]!;
      // No finite bucket at all: nothing can be called fast, every request is slow.
      const f = fast === undefined ? 0 : fast.rate.values[i]!;
      // A bucket missing where +Inf is present is a torn scrape, neither "all slow" nor "all
      // fast": the point becomes a gap in both series.
      if (Number.isNaN(t) || Number.isNaN(f)) continue;
      total.values[i] = t;
      slow.values[i] = Math.max(0, t - f);
    }
    totals.push(total);
    slows.push(slow);
    if (fast !== undefined) boundaries.add(le);
  }
  if (totals.length === 0) return null;
  const total = sumSeries(grid, totals);
  return {
    total,
    bad: badWhereTotal(total, sumSeries(grid, slows)),
    boundariesSeconds: [...boundaries].sort((a, b) => a - b),
  };
}

/** `bad` defined exactly where `total` is: 0 where it had no data of its own. */
function badWhereTotal(total: TimeSeries, bad: TimeSeries): TimeSeries {
  const out = emptySeries(total.grid);
  for (let i = 0; i < out.values.length; i++) {
    if (Number.isNaN(total.values[i]!)) continue;
    const b = bad.values[i]!;
    out.values[i] = Number.isNaN(b) ? 0 : b;
  }
  return out;
}

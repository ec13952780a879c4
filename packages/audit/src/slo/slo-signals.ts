/**
 * An application's SLO config resolved against its data: for each objective that is on, the SLI
 * series to judge it by, or the reason there are none. Both the report and the incident runner
 * start from here, so they can never disagree about what was measured.
 */
import type { Application, HistogramBucket, TimeGrid, TimeSeries } from '@vigil/model';
import { hasData } from '@vigil/model';
import {
  availabilitySli,
  availabilitySliFromQueries,
  inboundStats,
  latencySli,
  type SliSeries,
} from './sli.ts';
import type { SloConfig } from './slo-config.ts';
import { assertSameGrid } from './series-window.ts';

export type SloKind = 'availability' | 'latency';

/** Results of the custom SLI queries, evaluated on the application's grid by the query engine. */
export interface CustomSliData {
  /** The availability PromQL pair, requests per second. */
  readonly availability?: { readonly success: TimeSeries; readonly total: TimeSeries };
  /** The latency histogram query: cumulative buckets per second by `le` (seconds), ascending. */
  readonly latencyHistogram?: readonly HistogramBucket[];
}

/** One objective with the series it is judged by. */
export interface SloSignal {
  readonly kind: SloKind;
  readonly objectivePercent: number;
  readonly sli: SliSeries;
  /** Latency only: the threshold asked for. */
  readonly thresholdMs?: number;
  /** Latency only: the histogram boundaries (seconds) actually used for it. */
  readonly boundariesSeconds?: readonly number[];
}

export interface SloSignals {
  readonly signals: readonly SloSignal[];
  /** Objectives that are on but have no data, with a sentence saying why. */
  readonly missing: ReadonlyArray<{ readonly kind: SloKind; readonly reason: string }>;
  /** Objectives turned off in the config. */
  readonly disabled: readonly SloKind[];
}

/** What to tell a user whose application has no inbound request metrics. */
export const NO_INBOUND_L7 =
  'no inbound request metrics: run the Vigil node agent with L7 tracing (VIGIL_L7, on by default) ' +
  'on the nodes this application runs on — it sees plain-text HTTP/1.x, Postgres, MySQL, Redis and ' +
  'memcached, not TLS — or define a custom SLI (PromQL success/total queries or a latency histogram)';

/**
 * Resolves `config` for `app` on `grid` (the grid of the app's series, usually the world's).
 * Series that exist but hold no defined point count as missing: the agent was not sending in
 * this window, which is not the same as "no requests" (that is a defined 0). Custom series must
 * be on `grid` (RangeError otherwise).
 */
export function sloSignals(
  app: Application,
  config: SloConfig,
  grid: TimeGrid,
  custom: CustomSliData = {},
): SloSignals {
  if (custom.availability) {
    assertSameGrid(grid, custom.availability.success.grid, 'the custom success series');
    assertSameGrid(grid, custom.availability.total.grid, 'the custom total series');
  }
  for (const b of custom.latencyHistogram ?? [])
    assertSameGrid(grid, b.rate.grid, `the custom bucket le=${b.le}`);
  const signals: SloSignal[] = [];
  const missing: Array<{ kind: SloKind; reason: string }> = [];
  const disabled: SloKind[] = [];
  const stats = inboundStats(app);

  const a = config.availability;
  if (a === null) disabled.push('availability');
  else {
    let sli: SliSeries | null;
    let reason: string;
    if (a.sli.kind === 'inbound') {
      sli = availabilitySli(grid, stats);
      reason = NO_INBOUND_L7;
    } else {
      sli = custom.availability
        ? availabilitySliFromQueries(custom.availability.success, custom.availability.total)
        : null;
      reason = 'the custom availability queries (success/total) returned no data';
    }
    if (sli !== null && hasData(sli.total))
      signals.push({ kind: 'availability', objectivePercent: a.objectivePercent, sli });
    else missing.push({ kind: 'availability', reason });
  }

  const l = config.latency;
  if (l === null) disabled.push('latency');
  else {
    let histograms: (readonly HistogramBucket[])[];
    let reason: string;
    if (l.sli.kind === 'inbound') {
      histograms = stats.map((s) => s.histogram).filter((h) => h.length > 0);
      reason =
        stats.length === 0
          ? NO_INBOUND_L7
          : 'the inbound request metrics carry no latency histogram (no `_duration_seconds` buckets)';
    } else {
      histograms = custom.latencyHistogram ? [custom.latencyHistogram] : [];
      reason = 'the custom latency histogram query returned no data';
    }
    const sli = latencySli(grid, histograms, l.thresholdMs);
    if (sli !== null && hasData(sli.total))
      signals.push({
        kind: 'latency',
        objectivePercent: l.objectivePercent,
        sli,
        thresholdMs: l.thresholdMs,
        boundariesSeconds: sli.boundariesSeconds,
      });
    else missing.push({ kind: 'latency', reason });
  }
  return { signals, missing, disabled };
}

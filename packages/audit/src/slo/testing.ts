/**
 * Hand-built applications and series for the SLO tests: a grid, request rates given as functions
 * of the point index, and an Application carrying them as inbound L7 stats. Not exported from the
 * package; test-only.
 */
import {
  emptySeries,
  type Application,
  type HistogramBucket,
  type Instance,
  type L7Protocol,
  type L7Stats,
  type TimeGrid,
  type TimeSeries,
} from '@vigil/model';

export const T0_MS = Date.UTC(2026, 0, 1);
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;

/** A series whose point `i` is `f(i)`; return NaN for a gap. */
export function seriesOf(grid: TimeGrid, f: (i: number) => number): TimeSeries {
  const s = emptySeries(grid);
  for (let i = 0; i < grid.points; i++) s.values[i] = f(i);
  return s;
}

/**
 * HTTP inbound stats: `rps(i)` requests per second of which a share `errorShare(i)` are 5xx.
 * NaN from `rps` is a gap in every series.
 */
export function httpStats(
  grid: TimeGrid,
  rps: (i: number) => number,
  errorShare: (i: number) => number = () => 0,
  histogram: readonly HistogramBucket[] = [],
): L7Stats {
  return {
    requestsByStatus: new Map([
      ['2xx', seriesOf(grid, (i) => rps(i) * (1 - errorShare(i)))],
      ['5xx', seriesOf(grid, (i) => rps(i) * errorShare(i))],
    ]),
    histogram,
  };
}

/**
 * Cumulative buckets from the share of requests at or under each boundary (seconds):
 * `{0.1: 0.9, 0.5: 0.99}` with 10 rps gives le=0.1 → 9, le=0.5 → 9.9, +Inf → 10.
 */
export function histogramOf(
  grid: TimeGrid,
  rps: (i: number) => number,
  shareAtOrUnder: Readonly<Record<number, number>>,
): HistogramBucket[] {
  const les = Object.keys(shareAtOrUnder)
    .map(Number)
    .sort((a, b) => a - b);
  const buckets = les.map((le) => ({ le, rate: seriesOf(grid, (i) => rps(i) * shareAtOrUnder[le]!) }));
  buckets.push({ le: Infinity, rate: seriesOf(grid, rps) });
  return buckets;
}

/** An application with one instance per entry of `inbound` (protocol → stats). */
export function appWithInbound(
  grid: TimeGrid,
  inbound: ReadonlyArray<ReadonlyMap<L7Protocol, L7Stats>>,
  id = '/k8s/default/deployment/api',
): Application {
  const empty = emptySeries(grid);
  const instances: Instance[] = inbound.map((map, n) => ({
    id: `${id}-${n}`,
    appId: id,
    node: 'node-1',
    up: empty,
    images: [],
    listens: [],
    cpuUsageCores: empty,
    cpuLimitCores: empty,
    cpuThrottled: empty,
    memoryRssBytes: empty,
    memoryLimitBytes: empty,
    oomKills: empty,
    restarts: empty,
    volumes: [],
    logs: { byLevel: new Map(), patterns: new Map() },
    dns: undefined,
    runtime: {
      jvmSafepointSeconds: empty,
      pythonGilWaitSeconds: empty,
      nodejsEventLoopBlockedSeconds: empty,
    },
    memoryPressure: empty,
    diskDelay: empty,
    database: new Map(),
    inbound: map,
    upstreams: [],
  }));
  return {
    id,
    kind: 'kubernetes',
    namespace: 'default',
    name: 'api',
    category: 'application',
    types: [],
    instances,
    upstreams: [],
    downstreams: [],
  };
}

/** DNS: how fast the application's name lookups are answered, server failures and NXDOMAIN answers. */
import {
  histogramQuantile,
  mergeL7Stats,
  seriesStats,
  sumSeries,
  type L7Stats,
  type TimeSeries,
} from '@vigil/model';
import { makeReport, noDataReport, type Report } from '../report.ts';
import { chart, evaluate, maxOf, seconds } from './check.ts';
import type { InspectionContext } from './context.ts';

export function dnsReport(ctx: InspectionContext): Report {
  const { app, world, thresholds } = ctx;
  const stats = app.instances.map((i) => i.dns).filter((d): d is L7Stats => d !== undefined);
  if (stats.length === 0)
    return noDataReport(
      'DNS',
      'No DNS requests seen from this application (the node agent sees them with eBPF).',
    );
  const dns = mergeL7Stats(world.grid, stats);
  const p95 = histogramQuantile(world.grid, dns.histogram, 0.95);
  const worstP95 = maxOf([p95]);
  const stepS = world.grid.stepMs / 1000;
  const count = (statuses: readonly string[]) =>
    statuses.reduce((n, status) => {
      const series = dns.requestsByStatus.get(status);
      return series ? n + seriesStats(series).sum * stepS : n;
    }, 0);
  const errors = count(['servfail', 'error']);
  const nx = count(['nxdomain']);
  const byStatus = [...dns.requestsByStatus] as Array<[string, TimeSeries]>;
  return makeReport(
    'DNS',
    [
      evaluate(thresholds, 'dns_latency', {
        value: worstP95,
        describe: (s) =>
          s === 'ok' ? `p95 at most ${seconds(worstP95)}` : `DNS p95 latency reached ${seconds(worstP95)}`,
      }),
      evaluate(thresholds, 'dns_errors', {
        value: errors,
        describe: (s) =>
          s === 'ok'
            ? 'no server errors'
            : `${Math.round(errors)} DNS requests failed (SERVFAIL or other errors)`,
      }),
      evaluate(thresholds, 'dns_nxdomain', {
        value: nx,
        describe: (s) =>
          s === 'ok'
            ? 'no NXDOMAIN answers'
            : `${Math.round(nx)} lookups of names that do not exist (NXDOMAIN)`,
      }),
    ],
    () => [
      chart('DNS requests by status', '/s', byStatus),
      chart('DNS p95 latency', 's', [['p95', p95]], thresholds.get('dns_latency').warning),
      chart('DNS requests', '/s', [
        [
          'total',
          sumSeries(
            world.grid,
            byStatus.map(([, s]) => s),
          ),
        ],
      ]),
    ],
  );
}

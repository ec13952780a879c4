/**
 * Database reports (Postgres, MySQL, Redis, Memcached, MongoDB) for applications of those types,
 * from what the cluster agent reports for the address each instance listens on. Without the
 * cluster agent's data the report says so — it does not show OK — and what the node agent saw of
 * the protocol on the wire is still charted.
 */
import {
  histogramQuantile,
  mergeL7Stats,
  type Application,
  type L7Protocol,
  type LabelledSeriesData,
  type TimeSeries,
} from '@vigil/model';
import { makeReport, noDataReport, type Check, type Report, type ReportName } from '../report.ts';
import { chart, evaluate, instanceName, maxOf, seconds } from './check.ts';
import type { InspectionContext } from './context.ts';
import type { CheckId } from './thresholds.ts';

interface DatabaseKind {
  readonly report: ReportName;
  readonly types: readonly string[];
  readonly upQuery: string;
  readonly availability: CheckId;
  readonly protocol: L7Protocol;
}

export const DATABASES: readonly DatabaseKind[] = [
  {
    report: 'Postgres',
    types: ['postgres'],
    upQuery: 'pg_up',
    availability: 'postgres_availability',
    protocol: 'postgres',
  },
  {
    report: 'MySQL',
    types: ['mysql', 'mariadb'],
    upQuery: 'mysql_up',
    availability: 'mysql_availability',
    protocol: 'mysql',
  },
  {
    report: 'Redis',
    types: ['redis', 'valkey', 'keydb', 'dragonfly'],
    upQuery: 'redis_up',
    availability: 'redis_availability',
    protocol: 'redis',
  },
  {
    report: 'Memcached',
    types: ['memcached'],
    upQuery: 'memcached_up',
    availability: 'memcached_availability',
    protocol: 'memcached',
  },
  {
    report: 'MongoDB',
    types: ['mongodb', 'mongod'],
    upQuery: 'mongo_up',
    availability: 'mongodb_availability',
    protocol: 'mongo',
  },
];

export function databaseKinds(app: Application): DatabaseKind[] {
  return DATABASES.filter((d) => d.types.some((t) => app.types.includes(t)));
}

function seriesOf(ctx: InspectionContext, queryId: string): Array<[string, LabelledSeriesData]> {
  return ctx.app.instances.flatMap((i) =>
    (i.database.get(queryId) ?? []).map((s) => [instanceName(i.id), s] as [string, LabelledSeriesData]),
  );
}

export function databaseReport(ctx: InspectionContext, kind: DatabaseKind): Report {
  const { thresholds, world } = ctx;
  const up = seriesOf(ctx, kind.upQuery);
  const wire = ctx.app.instances.map((i) => i.inbound.get(kind.protocol)).filter((s) => s !== undefined);
  const wireCharts = wire.length === 0 ? [] : [wireLatencyChart(ctx, wire)];
  if (up.length === 0) {
    const r = noDataReport(
      kind.report,
      `No ${kind.report} metrics from the cluster agent for this application: save its credentials (PUT /api/v1/apps/<id>/instrumentation) and run vigil cluster-agent.`,
    );
    return { ...r, charts: wireCharts };
  }
  const downPoints = up.reduce((n, [, s]) => n + [...s.series.values].filter((v) => v === 0).length, 0);
  const downMinutes = (downPoints * world.grid.stepMs) / 60_000;
  const checks: Check[] = [
    evaluate(thresholds, kind.availability, {
      value: downPoints,
      severity: 'critical',
      describe: (s) =>
        s === 'ok'
          ? `${kind.report} answered the cluster agent throughout`
          : `${kind.report} did not answer the cluster agent for ${downMinutes.toFixed(0)} min`,
    }),
  ];
  if (kind.report === 'Postgres') {
    const avg = seriesOf(ctx, 'pg_latency_seconds').filter(([, s]) => s.labels['summary'] === 'avg');
    const worst = maxOf(avg.map(([, s]) => s.series));
    checks.push(
      evaluate(thresholds, 'postgres_latency', {
        value: worst,
        describe: (s) =>
          s === 'ok'
            ? `average query time at most ${seconds(worst)}`
            : `average query time reached ${seconds(worst)}`,
      }),
    );
    const conns = seriesOf(ctx, 'pg_connections');
    const max = maxOf(seriesOf(ctx, 'pg_max_connections').map(([, s]) => s.series));
    const share = max > 0 ? (maxOf(conns.map(([, s]) => s.series)) / max) * 100 : NaN;
    checks.push(
      evaluate(thresholds, 'postgres_connections', {
        value: share,
        describe: (s) =>
          s === 'ok'
            ? `${share.toFixed(0)}% of max_connections in use`
            : `${share.toFixed(0)}% of max_connections in use: new clients will be refused soon`,
      }),
    );
  }
  if (kind.report === 'MySQL') {
    const lag = maxOf(seriesOf(ctx, 'mysql_replication_lag').map(([, s]) => s.series));
    checks.push(
      evaluate(thresholds, 'mysql_replication_lag', {
        value: lag,
        noData: 'not a replica',
        describe: (s) =>
          s === 'ok' ? `replication lag at most ${seconds(lag)}` : `replica is ${seconds(lag)} behind`,
      }),
    );
  }
  if (kind.report === 'Redis' && wire.length > 0) {
    const stats = mergeL7Stats(world.grid, wire);
    const p50 = maxOf([histogramQuantile(world.grid, stats.histogram, 0.5)]);
    checks.push(
      evaluate(thresholds, 'redis_latency', {
        value: p50,
        describe: (s) =>
          s === 'ok'
            ? `median command time at most ${seconds(p50)}`
            : `median command time reached ${seconds(p50)}`,
      }),
    );
  }
  return makeReport(kind.report, checks, () => [
    chart(
      `${kind.report} up`,
      'bool',
      up.map(([n, s]) => [n, s.series] as [string, TimeSeries]),
    ),
    ...wireCharts,
  ]);
}

function wireLatencyChart(ctx: InspectionContext, wire: Parameters<typeof mergeL7Stats>[1]) {
  const stats = mergeL7Stats(ctx.world.grid, wire);
  return chart('Latency seen on the wire (eBPF)', 's', [
    ['p50', histogramQuantile(ctx.world.grid, stats.histogram, 0.5)],
    ['p95', histogramQuantile(ctx.world.grid, stats.histogram, 0.95)],
  ]);
}

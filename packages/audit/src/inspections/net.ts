/**
 * Net: for each upstream application, the round-trip time (in-cluster and external upstreams
 * have their own thresholds), TCP retransmissions, failed connections, and whether it is there
 * at all.
 */
import { edgesFrom, recentValue, seriesStats, type TimeSeries } from '@vigil/model';
import { makeReport, noDataReport, type Check, type Report } from '../report.ts';
import { chart, evaluate, maxOf, seconds } from './check.ts';
import { applicationById, type InspectionContext } from './context.ts';
import { RECENT_MS } from './instances.ts';

interface Upstream {
  readonly appId: string;
  readonly external: boolean;
  readonly rtt: TimeSeries;
  readonly retransmits: TimeSeries;
  readonly failed: TimeSeries;
  readonly connects: TimeSeries;
}

function upstreams(ctx: InspectionContext): Upstream[] {
  return [...edgesFrom(ctx.world, ctx.app.id).values()].map((e) => ({
    appId: e.to,
    external: applicationById(ctx.world, e.to)?.kind === 'external',
    rtt: e.rttSeconds,
    retransmits: e.retransmits,
    failed: e.failedConnects,
    connects: e.connects,
  }));
}

function worst(list: readonly Upstream[], pick: (u: Upstream) => TimeSeries): [Upstream | undefined, number] {
  let best: Upstream | undefined;
  let value = NaN;
  for (const u of list) {
    const v = maxOf([pick(u)]);
    if (!Number.isNaN(v) && !(v <= value)) [best, value] = [u, v];
  }
  return [best, value];
}

export function netReport(ctx: InspectionContext): Report {
  const { thresholds, world } = ctx;
  const list = upstreams(ctx);
  if (list.length === 0)
    return noDataReport('Net', 'The application made no TCP connections that an agent saw.');
  const name = (u: Upstream | undefined) => u?.appId ?? '?';
  const [slow, rtt] = worst(
    list.filter((u) => !u.external),
    (u) => u.rtt,
  );
  const [slowExt, rttExt] = worst(
    list.filter((u) => u.external),
    (u) => u.rtt,
  );
  const checks: Check[] = [
    evaluate(thresholds, 'net_rtt', {
      value: rtt,
      noData: 'no in-cluster upstreams with RTT data',
      describe: (s) =>
        s === 'ok' ? `RTT at most ${seconds(rtt)}` : `RTT to ${name(slow)} reached ${seconds(rtt)}`,
    }),
    evaluate(thresholds, 'net_rtt_external', {
      value: rttExt,
      noData: 'no external upstreams with RTT data',
      describe: (s) =>
        s === 'ok' ? `RTT at most ${seconds(rttExt)}` : `RTT to ${name(slowExt)} reached ${seconds(rttExt)}`,
    }),
  ];
  const [lossy, retransmits] = worst(list, (u) => u.retransmits);
  checks.push(
    evaluate(thresholds, 'net_retransmits', {
      value: retransmits,
      describe: (s) =>
        s === 'ok'
          ? 'few TCP retransmissions'
          : `${retransmits.toFixed(1)} TCP retransmissions/s to ${name(lossy)}: packet loss on the way`,
    }),
  );
  const stepS = world.grid.stepMs / 1000;
  const failedCount = (u: Upstream) => seriesStats(u.failed).sum * stepS;
  const failing = list.filter((u) => failedCount(u) > 0);
  const failedTotal = failing.reduce((n, u) => n + failedCount(u), 0);
  checks.push(
    evaluate(thresholds, 'net_failed_connects', {
      value: failedTotal,
      describe: (s) =>
        s === 'ok'
          ? 'no failed connections'
          : `${Math.round(failedTotal)} failed connections to ${failing.map((u) => u.appId).join(', ')}`,
    }),
  );
  const unavailable = list.filter((u) => isUnavailable(ctx, u));
  checks.push(
    evaluate(thresholds, 'net_upstreams', {
      value: unavailable.length,
      severity: 'critical',
      describe: (s) =>
        s === 'ok'
          ? `${list.length} upstreams reachable`
          : `unreachable: ${unavailable.map((u) => u.appId).join(', ')}`,
    }),
  );
  return makeReport('Net', checks, () => [
    chart(
      'RTT',
      's',
      list.map((u) => [u.appId, u.rtt]),
      thresholds.get('net_rtt').warning,
    ),
    chart(
      'TCP retransmissions',
      '/s',
      list.map((u) => [u.appId, u.retransmits]),
    ),
    chart(
      'Failed connections',
      '/s',
      list.map((u) => [u.appId, u.failed]),
    ),
  ]);
}

/** Connections failed at the end of the window and none succeeded, or none of its instances is up. */
function isUnavailable(ctx: InspectionContext, u: Upstream): boolean {
  // The newest two points that were evaluated (under load the cache runs behind, and the grid's
  // last points may not hold anything yet). Each is already a rate over the query window, so two
  // points with failures and no successful connect mean none succeeded for a window and a step.
  let end = u.failed.values.length - 1;
  while (end >= 0 && Number.isNaN(u.failed.values[end]!) && Number.isNaN(u.connects.values[end]!)) end--;
  const last = (s: TimeSeries) => seriesStats(s, end - 1, end + 1).sum;
  if (end >= 0 && last(u.failed) > 0 && !(last(u.connects) > 0)) return true;
  const app = applicationById(ctx.world, u.appId);
  if (!app || app.kind === 'external' || app.instances.length === 0) return false;
  return app.instances.every((i) => Number.isNaN(recentValue(i.up, RECENT_MS)));
}

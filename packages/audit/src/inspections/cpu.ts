/** CPU: the nodes' utilisation, each container's usage against its limit, and throttling. */
import { divideSeries, mapSeries } from '@vigil/model';
import { makeReport, noDataReport, type Report } from '../report.ts';
import { chart, evaluate, instanceName, maxOf, pct } from './check.ts';
import { nodesOf, type InspectionContext } from './context.ts';

export function cpuReport(ctx: InspectionContext): Report {
  const { app, thresholds } = ctx;
  if (app.instances.length === 0)
    return noDataReport('CPU', 'No agent reports instances of this application.');
  const nodes = nodesOf(ctx);
  const nodeCpu = maxOf(nodes.map((n) => n.cpuUsagePercent));
  const busiest = nodes.find((n) => maxOf([n.cpuUsagePercent]) === nodeCpu);
  const node = evaluate(thresholds, 'cpu_node', {
    value: nodeCpu,
    noData: 'no node CPU metrics',
    describe: (status) =>
      status === 'ok'
        ? `node CPU at most ${nodeCpu.toFixed(0)}%`
        : `node ${busiest?.hostname ?? '?'} reached ${nodeCpu.toFixed(0)}% CPU: neighbours compete for it`,
  });
  const limited = app.instances.filter((i) => maxOf([i.cpuLimitCores]) > 0);
  const shares = limited.map((i) =>
    mapSeries(divideSeries(i.cpuUsageCores, i.cpuLimitCores), (v) => v * 100),
  );
  const share = maxOf(shares);
  const container = evaluate(thresholds, 'cpu_container', {
    value: share,
    noData: limited.length === 0 ? 'no CPU limits set' : 'no CPU usage data',
    describe: (status) =>
      status === 'ok'
        ? `usage at most ${share.toFixed(0)}% of the limit`
        : `an instance used ${share.toFixed(0)}% of its CPU limit`,
  });
  const throttled = maxOf(app.instances.map((i) => i.cpuThrottled));
  const worst = app.instances.find((i) => maxOf([i.cpuThrottled]) === throttled);
  const throttling = evaluate(thresholds, 'cpu_throttling', {
    value: throttled,
    noData: 'no throttling metrics',
    describe: (status) =>
      status === 'ok'
        ? 'no significant throttling'
        : `${instanceName(worst?.id ?? '')} throttled ${pct(throttled)} of the time: its CPU limit slows it down`,
  });
  return makeReport('CPU', [node, container, throttling], () => [
    chart(
      'CPU usage',
      'cores',
      app.instances.map((i) => [instanceName(i.id), i.cpuUsageCores]),
    ),
    chart(
      'CPU throttling',
      's/s',
      app.instances.map((i) => [instanceName(i.id), i.cpuThrottled]),
      thresholds.get('cpu_throttling').warning,
    ),
    chart(
      'Node CPU',
      '%',
      nodes.map((n) => [n.hostname, n.cpuUsagePercent]),
      thresholds.get('cpu_node').warning,
    ),
  ]);
}

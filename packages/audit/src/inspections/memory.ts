/** Memory: OOM kills, steady growth of RSS (a leak), and time spent waiting for memory. */
import { counterIncrease, type Instance, type TimeSeries } from '@vigil/model';
import { makeReport, noDataReport, type Report } from '../report.ts';
import { bytes, chart, evaluate, instanceName, maxOf, pct } from './check.ts';
import type { InspectionContext } from './context.ts';

/** Below this much data a slope says nothing about a leak. */
const MIN_LEAK_WINDOW_MS = 30 * 60_000;

/** RSS growth in percent of its mean per hour, by least squares; NaN with too little data. */
export function growthPercentPerHour(s: TimeSeries): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  let first = NaN;
  let last = NaN;
  for (let i = 0; i < s.values.length; i++) {
    const y = s.values[i]!;
    if (Number.isNaN(y)) continue;
    const x = i * s.grid.stepMs;
    if (Number.isNaN(first)) first = x;
    last = x;
    n++;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  if (n < 3 || last - first < MIN_LEAK_WINDOW_MS) return NaN;
  const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const mean = sy / n;
  return mean > 0 ? ((slope * 3_600_000) / mean) * 100 : NaN;
}

export function memoryReport(ctx: InspectionContext): Report {
  const { app, thresholds } = ctx;
  if (app.instances.length === 0)
    return noDataReport('Memory', 'No agent reports instances of this application.');
  const kills = app.instances.map((i) => [i, counterIncrease(i.oomKills)] as const).filter(([, n]) => n > 0);
  const total = kills.reduce((n, [, k]) => n + k, 0);
  const oom = evaluate(thresholds, 'memory_oom', {
    value: total,
    severity: 'critical',
    describe: (status) =>
      status === 'ok'
        ? 'no OOM kills'
        : `${kills.length} of ${app.instances.length} instances OOM-killed ${total} times: memory limit ${limitText(kills[0]![0])}`,
  });
  // A restart resets RSS: only instances that ran the whole window without one count for a leak.
  const steady = app.instances.filter((i) => counterIncrease(i.restarts) === 0);
  const growth = steady
    .map((i) => [i, growthPercentPerHour(i.memoryRssBytes)] as const)
    .filter(([, g]) => !Number.isNaN(g));
  const fastest = growth.reduce<readonly [Instance, number] | undefined>(
    (a, b) => (a === undefined || b[1] > a[1] ? b : a),
    undefined,
  );
  const leak = evaluate(thresholds, 'memory_leak', {
    value: fastest?.[1],
    noData: 'not enough memory history without restarts to judge growth',
    describe: (status) =>
      status === 'ok'
        ? 'memory stable'
        : `${instanceName(fastest![0].id)}: RSS grows ${fastest![1].toFixed(0)}% per hour — a leak?`,
  });
  const pressure = maxOf(app.instances.map((i) => i.memoryPressure));
  const pressureCheck = evaluate(thresholds, 'memory_pressure', {
    value: pressure,
    noData: 'no memory pressure metrics (needs PSI: cgroup v2 or psi=1)',
    describe: (status) =>
      status === 'ok' ? 'no memory pressure' : `tasks waited for memory ${pct(pressure)} of the time`,
  });
  return makeReport('Memory', [oom, leak, pressureCheck], () => [
    chart(
      'Memory RSS',
      'bytes',
      app.instances.map((i) => [instanceName(i.id), i.memoryRssBytes]),
    ),
    chart(
      'Memory limit',
      'bytes',
      app.instances.map((i) => [instanceName(i.id), i.memoryLimitBytes]),
    ),
    chart(
      'OOM kills (total)',
      'count',
      app.instances.map((i) => [instanceName(i.id), i.oomKills]),
    ),
  ]);
}

function limitText(i: Instance): string {
  const limit = maxOf([i.memoryLimitBytes]);
  return Number.isNaN(limit) ? 'not set (node memory ran out)' : `${bytes(limit)} is too small`;
}

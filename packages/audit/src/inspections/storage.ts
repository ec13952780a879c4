/** Storage: space left on each volume, and how long tasks wait for disk I/O. */
import { combine } from '@vigil/model';
import { makeReport, noDataReport, type Report } from '../report.ts';
import { bytes, chart, evaluate, instanceName, maxOf, pct } from './check.ts';
import type { InspectionContext } from './context.ts';

export function storageReport(ctx: InspectionContext): Report {
  const { app, thresholds } = ctx;
  const volumes = app.instances.flatMap((i) => i.volumes.map((v) => ({ instance: i, volume: v })));
  if (volumes.length === 0)
    return noDataReport('Storage', 'The application has no volumes the agent can see.');
  const used = volumes.map(({ instance, volume }) => ({
    name: `${instanceName(instance.id)}:${volume.mountPoint}`,
    share: combine(volume.usedBytes, volume.sizeBytes, (u, s) => (s > 0 ? (u / s) * 100 : NaN)),
    size: maxOf([volume.sizeBytes]),
  }));
  const fullest = used.reduce((a, b) => (maxOf([b.share]) > maxOf([a.share]) ? b : a));
  const top = maxOf([fullest.share]);
  const space = evaluate(thresholds, 'storage_space', {
    value: top,
    describe: (status) =>
      status === 'ok'
        ? `volumes at most ${top.toFixed(0)}% full`
        : `${fullest.name} is ${top.toFixed(0)}% full (${bytes(fullest.size)})`,
  });
  const delay = maxOf(app.instances.map((i) => i.diskDelay));
  const io = evaluate(thresholds, 'storage_io', {
    value: delay,
    noData: 'no disk delay metrics',
    describe: (status) =>
      status === 'ok' ? 'disk I/O keeps up' : `tasks waited for disk I/O ${pct(delay)} of the time`,
  });
  return makeReport('Storage', [space, io], () => [
    chart(
      'Space used',
      '%',
      used.map((u) => [u.name, u.share]),
      thresholds.get('storage_space').warning,
    ),
    chart(
      'Disk I/O wait',
      's/s',
      app.instances.map((i) => [instanceName(i.id), i.diskDelay]),
    ),
  ]);
}

/** Logs: error and critical messages in the window, with the patterns that produced most of them. */
import { seriesStats, sumSeries, type TimeSeries } from '@vigil/model';
import { makeReport, noDataReport, type Report } from '../report.ts';
import { chart, evaluate } from './check.ts';
import type { InspectionContext } from './context.ts';

const ERROR_LEVELS = new Set(['error', 'critical']);

export interface PatternCount {
  readonly hash: string;
  readonly level: string;
  readonly sample: string;
  readonly messages: TimeSeries;
  readonly total: number;
}

/** Warning-and-above patterns of the application, most messages first. */
export function patternsOf(ctx: InspectionContext): PatternCount[] {
  const byHash = new Map<string, { level: string; sample: string; parts: TimeSeries[] }>();
  for (const i of ctx.app.instances)
    for (const [hash, p] of i.logs.patterns) {
      const e = byHash.get(hash);
      if (e) e.parts.push(p.messages);
      else byHash.set(hash, { level: p.level, sample: p.sample, parts: [p.messages] });
    }
  return [...byHash]
    .map(([hash, p]) => {
      const messages = sumSeries(ctx.world.grid, p.parts);
      return { hash, level: p.level, sample: p.sample, messages, total: seriesStats(messages).sum };
    })
    .sort((a, b) => b.total - a.total || (a.hash < b.hash ? -1 : 1));
}

export function logsReport(ctx: InspectionContext): Report {
  const { app, world, thresholds } = ctx;
  const levels = new Map<string, TimeSeries[]>();
  for (const i of app.instances)
    for (const [level, s] of i.logs.byLevel) {
      const list = levels.get(level);
      if (list) list.push(s);
      else levels.set(level, [s]);
    }
  if (levels.size === 0)
    return noDataReport(
      'Logs',
      'No log messages from this application: the node agent reads container stdout/stderr, journald and /var/log.',
    );
  const byLevel = [...levels].map(
    ([level, list]) => [level, sumSeries(world.grid, list)] as [string, TimeSeries],
  );
  const errors = byLevel.filter(([l]) => ERROR_LEVELS.has(l)).reduce((n, [, s]) => n + seriesStats(s).sum, 0);
  const top = patternsOf(ctx).filter((p) => ERROR_LEVELS.has(p.level))[0];
  const check = evaluate(thresholds, 'logs_errors', {
    value: errors,
    describe: (status) =>
      status === 'ok'
        ? 'no errors in the logs'
        : `${Math.round(errors).toLocaleString('en-US')} errors${top ? `; most often: "${top.sample}" (${Math.round(top.total).toLocaleString('en-US')})` : ''}`,
  });
  return makeReport('Logs', [check], () => [chart('Messages by level', 'per step', byLevel)]);
}

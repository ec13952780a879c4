/** Runtimes: JVM safepoints, Python's GIL and Node.js's event loop, where the agent measures them. */
import { hasData, type Instance, type TimeSeries } from '@vigil/model';
import { makeReport, noDataReport, type Check, type Report } from '../report.ts';
import { chart, evaluate, instanceName, maxOf, pct } from './check.ts';
import type { InspectionContext } from './context.ts';
import type { CheckId } from './thresholds.ts';

const RUNTIMES: ReadonlyArray<{ id: CheckId; what: string; pick: (i: Instance) => TimeSeries }> = [
  {
    id: 'runtime_jvm_safepoints',
    what: 'in JVM safepoints (stop-the-world)',
    pick: (i) => i.runtime.jvmSafepointSeconds,
  },
  {
    id: 'runtime_python_gil',
    what: 'waiting for the Python GIL',
    pick: (i) => i.runtime.pythonGilWaitSeconds,
  },
  {
    id: 'runtime_nodejs_event_loop',
    what: 'with the Node.js event loop blocked',
    pick: (i) => i.runtime.nodejsEventLoopBlockedSeconds,
  },
];

export function runtimesReport(ctx: InspectionContext): Report {
  const { app, thresholds } = ctx;
  const checks: Check[] = [];
  const charts = [];
  for (const r of RUNTIMES) {
    const series = app.instances
      .map((i) => [instanceName(i.id), r.pick(i)] as [string, TimeSeries])
      .filter(([, s]) => hasData(s));
    if (series.length === 0) continue;
    const worst = maxOf(series.map(([, s]) => s));
    checks.push(
      evaluate(thresholds, r.id, {
        value: worst,
        describe: (s) =>
          s === 'ok' ? `at most ${pct(worst)} of the time ${r.what}` : `${pct(worst)} of the time ${r.what}`,
      }),
    );
    charts.push(chart(thresholds.get(r.id).title, 's/s', series, thresholds.get(r.id).warning));
  }
  if (checks.length === 0)
    return noDataReport(
      'Runtimes',
      'No runtime metrics: JVMs are read from hsperfdata; Node.js and Python need VIGIL_RUNTIME_UPROBES=on in the node agent.',
    );
  return makeReport('Runtimes', checks, charts);
}

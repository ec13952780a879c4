/**
 * Candidates about an application's own resources (per instance), its error logs (per pattern,
 * summed over instances) and the nodes its instances run on.
 */
import {
  hasData,
  stepIncreases,
  sumSeries,
  type Application,
  type Instance,
  type NodeInfo,
  type TimeGrid,
  type TimeSeries,
} from '@vigil/model';
import { percentOf, perSecondChange, trailingSum, zeroFill } from './series-math.ts';
import type { CauseCandidate, CandidateKind } from './types.ts';

/** Log levels whose patterns are candidates; warnings are too common to point at a cause. */
const ERROR_LEVELS = new Set(['error', 'critical', 'fatal']);

/** The fields every candidate of one application shares. */
interface Subject {
  readonly app: Application;
  readonly depth: number;
}

function candidate(
  subject: Subject,
  kind: CandidateKind,
  key: string,
  title: string,
  unit: string,
  series: TimeSeries,
  instanceId?: string,
): CauseCandidate {
  return {
    id: `${kind}:${subject.app.id}${instanceId === undefined ? '' : `:${instanceId}`}${key}`,
    kind,
    applicationId: subject.app.id,
    applicationName: subject.app.name,
    ...(instanceId === undefined ? {} : { instanceId }),
    depth: subject.depth,
    title,
    unit,
    series,
    direction: 'up',
  };
}

function instanceCandidates(subject: Subject, inst: Instance): CauseCandidate[] {
  const out: CauseCandidate[] = [];
  const add = (kind: CandidateKind, key: string, title: string, unit: string, s: TimeSeries): void => {
    if (hasData(s)) out.push(candidate(subject, kind, key, title, unit, s, inst.id));
  };
  // Against the limit when there is one: usage near its limit is what hurts, not usage itself.
  const cpu = percentOf(inst.cpuUsageCores, inst.cpuLimitCores);
  if (cpu === null) add('cpu_usage', '', 'CPU usage', 'cores', inst.cpuUsageCores);
  else add('cpu_usage', '', 'CPU usage of limit', '%', cpu);
  add('cpu_throttling', '', 'CPU throttling', 's/s', inst.cpuThrottled);
  const memory = percentOf(inst.memoryRssBytes, inst.memoryLimitBytes);
  if (memory === null) add('memory_usage', '', 'memory RSS', 'bytes', inst.memoryRssBytes);
  else add('memory_usage', '', 'memory RSS of limit', '%', memory);
  // PSI: seconds per second spent waiting for memory, and for disk I/O (a saturated device).
  add('memory_pressure', '', 'memory pressure (PSI wait)', 's/s', inst.memoryPressure);
  add('disk_delay', '', 'disk I/O wait', 's/s', inst.diskDelay);
  add('runtime_pause', ':jvm', 'JVM safepoint time', 's/s', inst.runtime.jvmSafepointSeconds);
  add('runtime_pause', ':python', 'Python GIL wait', 's/s', inst.runtime.pythonGilWaitSeconds);
  add(
    'runtime_pause',
    ':nodejs',
    'Node.js event-loop blocked time',
    's/s',
    inst.runtime.nodejsEventLoopBlockedSeconds,
  );
  // Kills and restarts come a few at a time, minutes apart: counted over a trailing quarter hour.
  const quarterHour = (s: TimeSeries): TimeSeries => (hasData(s) ? trailingSum(s, 15 * 60_000) : s);
  add('oom_kills', '', 'OOM kills in 15 min', 'count', quarterHour(stepIncreases(inst.oomKills)));
  add('restarts', '', 'restarts in 15 min', 'count', quarterHour(stepIncreases(inst.restarts)));
  for (const v of inst.volumes) {
    const usage = percentOf(v.usedBytes, v.sizeBytes);
    if (usage !== null) add('volume_usage', `:${v.mountPoint}`, `volume ${v.mountPoint} usage`, '%', usage);
    add(
      'volume_fill_rate',
      `:${v.mountPoint}`,
      `volume ${v.mountPoint} fill rate`,
      'bytes/s',
      perSecondChange(v.usedBytes),
    );
  }
  return out;
}

/** Error-and-above log patterns summed over the application's instances; a new pattern has a 0 baseline. */
function logCandidates(grid: TimeGrid, subject: Subject): CauseCandidate[] {
  const patterns = new Map<string, { sample: string; level: string; series: TimeSeries[] }>();
  for (const inst of subject.app.instances) {
    for (const [hash, p] of inst.logs.patterns) {
      if (!ERROR_LEVELS.has(p.level.toLowerCase())) continue;
      const entry = patterns.get(hash) ?? { sample: p.sample, level: p.level, series: [] };
      entry.series.push(p.messages);
      patterns.set(hash, entry);
    }
  }
  const out: CauseCandidate[] = [];
  for (const hash of [...patterns.keys()].sort()) {
    const p = patterns.get(hash)!;
    const summed = sumSeries(grid, p.series);
    if (!hasData(summed)) continue;
    // A pattern first seen in the window is "new": its earlier steps had 0 messages, not none known.
    const series = zeroFill(summed);
    const sample = p.sample.length > 60 ? `${p.sample.slice(0, 57)}…` : p.sample;
    const title = `${p.level} log pattern "${sample}"`;
    out.push(candidate(subject, 'log_pattern', `:${hash}`, title, 'messages/step', series));
  }
  return out;
}

/** Resource, restart, volume and log candidates of one application. */
export function ownCandidates(grid: TimeGrid, app: Application, depth: number): CauseCandidate[] {
  const subject = { app, depth };
  return [
    ...app.instances.flatMap((inst) => instanceCandidates(subject, inst)),
    ...logCandidates(grid, subject),
  ];
}

/**
 * CPU and disk I/O candidates of the nodes `app`'s instances run on, skipping nodes in `seen`
 * (a node shared along the chain is reported once, with the nearest application).
 */
export function nodeCandidates(
  app: Application,
  depth: number,
  nodes: ReadonlyMap<string, NodeInfo>,
  seen: Set<string>,
): CauseCandidate[] {
  const out: CauseCandidate[] = [];
  const subject = { app, depth };
  for (const inst of app.instances) {
    const node = nodes.get(inst.node);
    if (node === undefined || seen.has(node.name)) continue;
    seen.add(node.name);
    const host = node.hostname || node.name;
    if (hasData(node.cpuUsagePercent)) {
      out.push(
        candidate(subject, 'node_cpu', `:${node.name}`, `node ${host} CPU usage`, '%', node.cpuUsagePercent),
      );
    }
    for (const device of [...node.diskIoTime.keys()].sort()) {
      const s = node.diskIoTime.get(device)!;
      const title = `node ${host} ${device} I/O time`;
      if (hasData(s))
        out.push(candidate(subject, 'node_disk_io', `:${node.name}:${device}`, title, 's/s', s));
    }
  }
  return out;
}

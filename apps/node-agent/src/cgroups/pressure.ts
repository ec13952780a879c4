/**
 * Pressure stall information (PSI) of a cgroup v2 group, for Coroot's
 * `container_resources_{cpu,memory,io}_pressure_waiting_seconds_total{kind="some"|"full"}`.
 *
 * Each of `cpu.pressure`, `memory.pressure` and `io.pressure` has up to two lines:
 *
 * ```
 * some avg10=1.88 avg60=11.60 avg300=21.70 total=245847919
 * full avg10=0.00 avg60=0.00 avg300=0.00 total=0
 * ```
 *
 * `total` is the time (µs) in which some (or all non-idle) tasks of the group were stalled on the
 * resource; it only grows. PSI is a v2 feature: on hybrid hosts the v2 hierarchy
 * (/sys/fs/cgroup/unified) has the pressure files even though its groups have no controllers.
 * A missing file or line (no PSI in the kernel, `psi=0`, a kernel before 5.13 without
 * `cpu.pressure` `full` for groups) leaves the figure undefined.
 */
import { readText } from '../discovery/procfs-sync.ts';
import path from 'node:path';
import type { MetricFamily, Sample } from '@vigil/agent-kit';

/** Seconds stalled since the group was made. */
export interface PressureTotals {
  some?: number;
  full?: number;
}

export interface Pressure {
  readonly cpu: PressureTotals;
  readonly memory: PressureTotals;
  readonly io: PressureTotals;
}

export const PRESSURE_RESOURCES = ['cpu', 'memory', 'io'] as const;

/** The `some` and `full` totals of one pressure file's text, in seconds. */
/** A `*.pressure` file's totals; none when it is absent. */
function parsePressureFile(file: string): PressureTotals {
  const text = readText(file);
  return text === undefined ? {} : parsePressure(text);
}

export function parsePressure(text: string): PressureTotals {
  const out: PressureTotals = {};
  for (const line of text.split('\n')) {
    const kind = line.slice(0, line.indexOf(' '));
    if (kind !== 'some' && kind !== 'full') continue;
    const match = / total=(\d+)/.exec(line);
    if (match) out[kind] = Number(match[1]) / 1e6;
  }
  return out;
}

/** The pressure totals of the v2 group at `v2CgroupDir` (`/sys/fs/cgroup/unified/docker/<id>`). */
export async function readPressure(v2CgroupDir: string): Promise<Pressure> {
  const [cpu, memory, io] = await Promise.all(
    PRESSURE_RESOURCES.map((resource) =>
      Promise.resolve(parsePressureFile(path.join(v2CgroupDir, `${resource}.pressure`))),
    ),
  );
  return { cpu: cpu!, memory: memory!, io: io! };
}

/**
 * The three `container_resources_*_pressure_waiting_seconds_total` families for many containers;
 * `labels` are each container's own (`container_id`, `app_id`), `kind` is added.
 */
export function pressureFamilies(
  containers: Iterable<{ readonly labels: Readonly<Record<string, string>>; readonly pressure: Pressure }>,
): MetricFamily[] {
  const samples: Record<(typeof PRESSURE_RESOURCES)[number], Sample[]> = { cpu: [], memory: [], io: [] };
  for (const { labels, pressure } of containers) {
    for (const resource of PRESSURE_RESOURCES) {
      const totals = pressure[resource];
      if (totals.some !== undefined)
        samples[resource].push({ labels: { ...labels, kind: 'some' }, value: totals.some });
      if (totals.full !== undefined)
        samples[resource].push({ labels: { ...labels, kind: 'full' }, value: totals.full });
    }
  }
  return PRESSURE_RESOURCES.map((resource) => ({
    name: `container_resources_${resource}_pressure_waiting_seconds_total`,
    type: 'counter',
    help: `Time tasks of the container were stalled waiting for ${resource === 'io' ? 'I/O' : resource} (PSI)`,
    samples: samples[resource],
  }));
}

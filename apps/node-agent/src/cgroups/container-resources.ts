/**
 * A container's CPU and memory from its cgroup files, v1 or v2, for Coroot's
 * `container_resources_cpu_{usage,throttled}_seconds_total`, `container_resources_cpu_limit_cores`,
 * `container_resources_memory_{rss,cache,limit}_bytes`:
 *
 * | figure | cgroup v1 | cgroup v2 |
 * |---|---|---|
 * | CPU used | `cpuacct.usage` (ns) | `cpu.stat` `usage_usec` |
 * | CPU throttled | `cpu.stat` `throttled_time` (ns) | `cpu.stat` `throttled_usec` |
 * | CPU limit | `cpu.cfs_quota_us` / `cpu.cfs_period_us` (-1: none) | `cpu.max` (`max`: none) |
 * | memory rss / cache | `memory.stat` `total_rss` / `total_cache` | `memory.stat` `anon` / `file` |
 * | memory limit | `memory.limit_in_bytes` (≥ 2^62: none) | `memory.max` (`max`: none) |
 *
 * The v2 group's pressure (PSI, pressure.ts) comes along as `pressure`, on hybrid hosts too.
 *
 * A controller that is not mounted, or a file that is missing, leaves its figure undefined. On
 * hybrid hosts (v1 controllers, v2 at /sys/fs/cgroup/unified without them) the v1 files answer
 * and the v2 `cpu.stat` still gives usage when the v1 cpuacct path is the root.
 */
import { stat } from 'node:fs/promises';
import { readText as readTextSync } from '../discovery/procfs-sync.ts';
import path from 'node:path';
import type { CgroupPaths } from '../discovery/proc-cgroup.ts';
import { readPressure, type Pressure } from './pressure.ts';

export interface CgroupLayout {
  /** Where v1 hierarchies are mounted, one directory per controller (`/sys/fs/cgroup`). */
  readonly v1Root: string;
  /** Where the v2 hierarchy is mounted (`/sys/fs/cgroup`, or `/sys/fs/cgroup/unified` on hybrid hosts). */
  readonly v2Root: string | undefined;
}

export interface ContainerResources {
  cpuUsageSeconds?: number;
  cpuThrottledSeconds?: number;
  cpuLimitCores?: number;
  memoryRssBytes?: number;
  memoryCacheBytes?: number;
  memoryLimitBytes?: number;
  /** From the v2 group; undefined when the process has none of its own (v1-only hosts, the root). */
  pressure?: Pressure;
}

/** v1 "no limit" is a page-rounded 2^63 - 1; anything this large means none. */
const NO_LIMIT_V1 = 2 ** 62;

/** Finds where the hierarchies are: pure v2, hybrid (v2 at unified/) or v1 only. */
export async function detectLayout(base = '/sys/fs/cgroup'): Promise<CgroupLayout> {
  const exists = (p: string): Promise<boolean> =>
    stat(p).then(
      () => true,
      () => false,
    );
  if (await exists(path.join(base, 'cgroup.controllers'))) return { v1Root: base, v2Root: base };
  if (await exists(path.join(base, 'unified', 'cgroup.controllers'))) {
    return { v1Root: base, v2Root: path.join(base, 'unified') };
  }
  return { v1Root: base, v2Root: undefined };
}

export async function readContainerResources(
  paths: CgroupPaths,
  layout: CgroupLayout,
): Promise<ContainerResources> {
  const out: ContainerResources = {};
  const v1 = (controller: string, file: string): Promise<string | undefined> => {
    const group = paths.get(controller);
    return group === undefined
      ? Promise.resolve(undefined)
      : readText(path.join(layout.v1Root, controller, group, file));
  };
  const v2Group = paths.get('');
  const v2 = (file: string): Promise<string | undefined> =>
    v2Group === undefined || layout.v2Root === undefined
      ? Promise.resolve(undefined)
      : readText(path.join(layout.v2Root, v2Group, file));

  const [usage, cpuStat1, quota, period, memStat1, memLimit1, cpuStat2, cpuMax, memStat2, memMax, pressure] =
    await Promise.all([
      v1('cpuacct', 'cpuacct.usage'),
      v1('cpu', 'cpu.stat'),
      v1('cpu', 'cpu.cfs_quota_us'),
      v1('cpu', 'cpu.cfs_period_us'),
      v1('memory', 'memory.stat'),
      v1('memory', 'memory.limit_in_bytes'),
      v2('cpu.stat'),
      v2('cpu.max'),
      v2('memory.stat'),
      v2('memory.max'),
      v2Group === undefined || layout.v2Root === undefined
        ? undefined
        : readPressure(path.join(layout.v2Root, v2Group)),
    ]);

  if (usage !== undefined) out.cpuUsageSeconds = Number(usage) / 1e9;
  else if (cpuStat2 !== undefined) out.cpuUsageSeconds = (keyed(cpuStat2).get('usage_usec') ?? NaN) / 1e6;
  const throttled1 = cpuStat1 === undefined ? undefined : keyed(cpuStat1).get('throttled_time');
  const throttled2 = cpuStat2 === undefined ? undefined : keyed(cpuStat2).get('throttled_usec');
  if (throttled1 !== undefined) out.cpuThrottledSeconds = throttled1 / 1e9;
  else if (throttled2 !== undefined) out.cpuThrottledSeconds = throttled2 / 1e6;
  if (quota !== undefined && period !== undefined && Number(quota) > 0) {
    out.cpuLimitCores = Number(quota) / Number(period);
  } else if (cpuMax !== undefined) {
    const [max, per] = cpuMax.trim().split(/\s+/);
    if (max !== 'max' && per !== undefined) out.cpuLimitCores = Number(max) / Number(per);
  }
  if (memStat1 !== undefined) {
    const stats = keyed(memStat1);
    out.memoryRssBytes = stats.get('total_rss') ?? stats.get('rss');
    out.memoryCacheBytes = stats.get('total_cache') ?? stats.get('cache');
  } else if (memStat2 !== undefined) {
    const stats = keyed(memStat2);
    out.memoryRssBytes = stats.get('anon');
    out.memoryCacheBytes = stats.get('file');
  }
  if (memLimit1 !== undefined && Number(memLimit1) < NO_LIMIT_V1) out.memoryLimitBytes = Number(memLimit1);
  else if (memMax !== undefined && memMax.trim() !== 'max') out.memoryLimitBytes = Number(memMax);
  if (pressure !== undefined) out.pressure = pressure;
  return out;
}

/** `key value` lines → map. */
function keyed(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined) out.set(key, Number(value));
  }
  return out;
}

function readText(file: string): Promise<string | undefined> {
  return Promise.resolve(readTextSync(file));
}

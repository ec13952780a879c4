/**
 * The containers and applications on this node, rebuilt from procfs on every scan: each
 * process is placed in a container (Docker or CRI container by its runtime's name, a systemd
 * service by its unit, or a host application, `/host/<name>`), and each container gets its
 * resources, listen addresses, application types, restarts and OOM kills.
 *
 * Containers with a cgroup of their own (runtime containers, systemd services) are measured
 * from it; host applications share the host's cgroup, so their CPU and memory are the sums of
 * their processes' (`/proc/<pid>/stat`), with the CPU time of exited processes kept, so the
 * counter never goes back. A container that disappears is remembered for ten minutes: when it
 * comes back, that is a restart (for Docker, the runtime's own count is used instead).
 */
import { readFileSync, readlinkSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { MetricFamily, Sample } from '@vigil/agent-kit';
import { detectAppType } from '../discovery/app-type.ts';
import { identifyCgroup, type CgroupIdentity } from '../discovery/cgroup-identity.ts';
import { listeningSockets, otherNetnsPids, socketOwners } from '../discovery/listen-sockets.ts';
import {
  cpuDelayFamily,
  DelayCounter,
  readThreadRunDelays,
  type ThreadReadings,
} from '../cgroups/cpu-delay.ts';
import {
  blkioDelayAccounted,
  diskFamilies,
  readContainerDiskIo,
  readThreadBlkioDelays,
  type DiskIo,
} from '../cgroups/disk-usage.ts';
import { pressureFamilies } from '../cgroups/pressure.ts';
import { identifyingPath, parseProcCgroup, type CgroupPaths } from '../discovery/proc-cgroup.ts';
import { parseStat, readProcesses, type ProcessCache, type ProcessInfo } from '../discovery/process-info.ts';
import {
  readContainerResources,
  type CgroupLayout,
  type ContainerResources,
} from '../cgroups/container-resources.ts';
import { hostAppId, type HostProcess } from './host-apps.ts';
import { provisionalName, type RuntimeContainer, type RuntimeNames } from './runtime-names.ts';

const USER_HZ = 100;
const FORGET_GONE_MS = 600_000;

export interface RegistryOptions {
  readonly layout: CgroupLayout;
  readonly runtimeNames?: RuntimeNames;
  readonly procRoot?: string;
  readonly pageSize?: number;
  readonly now?: () => number;
}

interface Container {
  readonly id: string;
  appId: string;
  image: string;
  kind: CgroupIdentity['kind'];
  /** The runtime's own id (Docker's 64-hex id, …) from the cgroup path, when it has one. */
  runtimeId: string | undefined;
  pids: number[];
  types: Set<string>;
  listen: Set<string>;
  resources: ContainerResources;
  /** Block I/O by disk (containers with a cgroup of their own). */
  disks: DiskIo[];
  /** Host applications: CPU seconds of processes that have exited, plus the live ones'. */
  hostCpuSeconds: number;
  runtimeRestarts: number | undefined;
  restartsSeen: number;
  oomKills: number;
  present: boolean;
  goneSinceMs: number;
}

interface Placement {
  readonly containerId: string;
  readonly appId: string;
  readonly image: string;
  readonly restarts: number | undefined;
}

export class ContainerRegistry {
  private readonly containers = new Map<string, Container>();
  /**
   * pid → its container and start time, as of the last scan (or a later lookup of a new pid).
   * The start time tells a recycled pid from the process the entry was made for.
   */
  private readonly pidContainer = new Map<
    number,
    { readonly containerId: string; readonly startTicks: number; checkedAtMs: number }
  >();
  /** Command lines and executables of the processes seen, read once per program run. */
  private readonly processCache: ProcessCache = new Map();
  /**
   * Socket inode → the pid holding it, as of the last walk of every process's fds: refreshed
   * when a listening socket's owner is unknown, so mostly listening sockets and what was open
   * then (latency uses it for connections eBPF does not follow).
   */
  socketOwners: ReadonlyMap<number, number> = new Map();
  private liveSet: ReadonlySet<number> = new Set();
  private unownedListeners: ReadonlySet<number> = new Set();
  /** One pid per network namespace other than the agent's, as of the last scan. */
  netnsPids: readonly number[] = [];
  private readonly cpuDelay = new DelayCounter();
  /** `pid@start` → CPU ticks and thread run delays when last read. */
  private readonly runDelaysSeen = new Map<string, { cpuTicks: number; threads: Map<number, number> }>();
  private readonly blkioDelay = new DelayCounter();
  private blkioDelayAccounted = false;
  /** cgroup v2 id (its directory's inode) → container, for containers with a cgroup of their own. */
  private readonly cgroupIdContainer = new Map<string, string>();
  /** `pid@start` → CPU ticks last read, to add only growth to host applications' counters. */
  private readonly cpuTicksSeen = new Map<string, number>();
  private readonly procRoot: string;
  private readonly pageSize: number;
  private readonly now: () => number;

  constructor(private readonly options: RegistryOptions) {
    this.procRoot = options.procRoot ?? '/proc';
    this.pageSize = options.pageSize ?? 4096;
    this.now = options.now ?? Date.now;
  }

  /** Re-reads every process and container. */
  async scan(): Promise<void> {
    const processes = await readProcesses(this.procRoot, this.processCache);
    const byPid = new Map(processes.map((p) => [p.pid, p]));
    const members = new Map<string, { placement: Placement; processes: ProcessInfo[] }>();
    const runtime = await this.resolveRuntimeContainers(processes);
    this.pidContainer.clear();
    const scannedAtMs = this.now();
    for (const proc of processes) {
      const placement = this.place(proc, (pid) => byPid.get(pid), runtime);
      if (placement === undefined) continue;
      this.pidContainer.set(proc.pid, {
        containerId: placement.containerId,
        startTicks: proc.startTicks,
        checkedAtMs: scannedAtMs,
      });
      let group = members.get(placement.containerId);
      if (group === undefined) members.set(placement.containerId, (group = { placement, processes: [] }));
      group.processes.push(proc);
    }
    const pids = processes.map((p) => p.pid);
    this.liveSet = new Set(pids);
    this.netnsPids = await otherNetnsPids(pids, this.procRoot);
    const listening = await this.listeningByPid(pids);
    const delayAccounted = await blkioDelayAccounted(this.procRoot);
    const liveTicks = new Set<string>();
    const cpuReadings = new Map<string, ThreadReadings>();
    const liveDelays = new Set<string>();
    const blkioReadings = new Map<string, ThreadReadings>();
    await Promise.all(
      [...members.values()].map(async ({ placement, processes: procs }) => {
        const container = this.containerFor(placement, procs[0]!);
        container.pids = procs.map((p) => p.pid);
        container.types = new Set(procs.map((p) => p.appType).filter((t): t is string => t !== undefined));
        container.listen = new Set(procs.flatMap((p) => listening.get(p.pid) ?? []));
        cpuReadings.set(container.id, await this.runDelays(procs, liveDelays));
        if (delayAccounted)
          blkioReadings.set(container.id, await readThreadBlkioDelays(container.pids, this.procRoot));
        if (container.kind === 'host') {
          let rss = 0;
          for (const p of procs) {
            const key = `${p.pid}@${p.startTicks}`;
            liveTicks.add(key);
            const seen = this.cpuTicksSeen.get(key) ?? 0;
            if (p.cpuTicks > seen) container.hostCpuSeconds += (p.cpuTicks - seen) / USER_HZ;
            this.cpuTicksSeen.set(key, Math.max(seen, p.cpuTicks));
            rss += p.rssPages * this.pageSize;
          }
          container.resources = { cpuUsageSeconds: container.hostCpuSeconds, memoryRssBytes: rss };
        } else {
          this.rememberCgroupId(procs[0]!.cgroupPaths, container.id);
          container.resources = await readContainerResources(procs[0]!.cgroupPaths, this.options.layout);
          container.disks = await readContainerDiskIo(procs[0]!.cgroupPaths, this.options.layout, {
            pid: procs[0]!.pid,
            procRoot: this.procRoot,
          });
        }
      }),
    );
    this.cpuDelay.update(cpuReadings);
    this.blkioDelay.update(blkioReadings);
    this.blkioDelayAccounted = delayAccounted;
    for (const key of this.cpuTicksSeen.keys()) if (!liveTicks.has(key)) this.cpuTicksSeen.delete(key);
    for (const key of this.runDelaysSeen.keys()) if (!liveDelays.has(key)) this.runDelaysSeen.delete(key);
    const now = this.now();
    for (const [id, container] of this.containers) {
      if (members.has(id)) continue;
      if (container.present) {
        container.present = false;
        container.goneSinceMs = now;
      } else if (now - container.goneSinceMs > FORGET_GONE_MS) {
        this.containers.delete(id);
      }
    }
  }

  /**
   * The container of a process, for eBPF events: from the last scan, or read now for a
   * process that started since. A process already gone is named after its `comm` as a host
   * application (the best that is left to say about it).
   */
  containerOf(pid: number, comm: string, cgroupId?: string): string {
    const known = this.pidContainer.get(pid);
    const now = this.now();
    // A busy process connects many times a second: its pid is checked for reuse once a second.
    if (known !== undefined && now - known.checkedAtMs < 1000) return known.containerId;
    const startTicks = this.startTicksNow(pid);
    if (known !== undefined && (startTicks === undefined || known.startTicks === startTicks)) {
      known.checkedAtMs = now;
      return known.containerId;
    }
    const proc = startTicks === undefined ? undefined : this.readNow(pid);
    const placement = proc === undefined ? undefined : this.place(proc, (ppid) => this.readNow(ppid));
    const byCgroup = cgroupId === undefined ? undefined : this.cgroupIdContainer.get(cgroupId);
    const id =
      placement?.containerId ?? byCgroup ?? `/host/${comm.replace(/[^A-Za-z0-9._-]/g, '_') || 'unknown'}`;
    if (startTicks !== undefined)
      this.pidContainer.set(pid, { containerId: id, startTicks, checkedAtMs: now });
    return id;
  }

  /**
   * The addresses each pid listens on: the listening sockets of the agent's network namespace
   * and of every other one (containers not on the host network), matched to their owners.
   */
  private async listeningByPid(pids: readonly number[]): Promise<Map<number, string[]>> {
    const tables = await Promise.all(
      ['', ...this.netnsPids.map((pid) => `${pid}/`)].map(async (prefix) => {
        const [tcp4, tcp6] = await Promise.all(
          ['net/tcp', 'net/tcp6'].map((f) =>
            readFile(`${this.procRoot}/${prefix}${f}`, 'utf8').catch(() => ''),
          ),
        );
        return listeningSockets(tcp4!, tcp6!);
      }),
    );
    // Every process's fds are walked (the costliest part of a scan) only when a listening socket
    // appeared whose owner is not known, or an owner has exited.
    // Sockets the last walk found no owner for (the kernel's own, another namespace's) do not
    // count.
    const stale = tables.some((table) =>
      [...table.keys()].some((inode) => {
        if (this.unownedListeners.has(inode)) return false;
        const pid = this.socketOwners.get(inode);
        return pid === undefined || !this.liveSet.has(pid);
      }),
    );
    if (stale) {
      this.socketOwners = await socketOwners(pids, this.procRoot);
      this.unownedListeners = new Set(
        tables.flatMap((table) => [...table.keys()].filter((inode) => !this.socketOwners.has(inode))),
      );
    }
    const out = new Map<number, string[]>();
    for (const table of tables) {
      for (const [inode, address] of table) {
        const pid = this.socketOwners.get(inode);
        if (pid === undefined) continue;
        const list = out.get(pid);
        if (list === undefined) out.set(pid, [address]);
        else if (!list.includes(address)) list.push(address);
      }
    }
    return out;
  }

  /**
   * The run delay of every thread of `procs`. A thread only waits for a CPU when it wants to
   * run, so a process that used no CPU since the last scan keeps its last readings unread (most
   * processes of a node are idle: this halves a scan).
   */
  private async runDelays(procs: readonly ProcessInfo[], live: Set<string>): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    for (const p of procs) {
      const key = `${p.pid}@${p.startTicks}`;
      live.add(key);
      let seen = this.runDelaysSeen.get(key);
      if (seen === undefined || seen.cpuTicks !== p.cpuTicks) {
        seen = { cpuTicks: p.cpuTicks, threads: await readThreadRunDelays([p.pid], this.procRoot) };
        this.runDelaysSeen.set(key, seen);
      }
      for (const [tid, value] of seen.threads) out.set(tid, value);
    }
    return out;
  }

  /** Notes the inode of the container's v2 directory: eBPF reports it as the task's cgroup id. */
  private rememberCgroupId(paths: CgroupPaths, containerId: string): void {
    const v2 = paths.get('');
    const root = this.options.layout.v2Root;
    if (v2 === undefined || root === undefined || v2 === '/') return;
    try {
      this.cgroupIdContainer.set(String(statSync(`${root}${v2}`).ino), containerId);
    } catch {
      // the group is already gone
    }
  }

  /** The process's start time now, or undefined when it is gone. */
  private startTicksNow(pid: number): number | undefined {
    try {
      return parseStat(readFileSync(`${this.procRoot}/${pid}/stat`, 'utf8')).startTicks;
    } catch {
      return undefined;
    }
  }

  /** An OOM kill of `pid` (from the `oom:mark_victim` tracepoint). */
  recordOomKill(pid: number, comm = 'unknown', cgroupId?: string): void {
    const id = this.containerOf(pid, comm, cgroupId);
    const container = this.containers.get(id);
    if (container !== undefined) container.oomKills++;
    else this.pendingOom.set(id, (this.pendingOom.get(id) ?? 0) + 1);
  }

  private readonly pendingOom = new Map<string, number>();

  /** The labels every series of a container carries. */
  labelsOf(containerId: string): Readonly<Record<string, string>> {
    const container = this.containers.get(containerId);
    return { container_id: containerId, app_id: container?.appId ?? containerId };
  }

  /** Containers present in the last scan. */
  list(): ReadonlyArray<Readonly<Pick<Container, 'id' | 'appId' | 'kind' | 'runtimeId' | 'pids' | 'image'>>> {
    return [...this.containers.values()].filter((c) => c.present);
  }

  families(): MetricFamily[] {
    const info: Sample[] = [];
    const types: Sample[] = [];
    const restarts: Sample[] = [];
    const ooms: Sample[] = [];
    const listen: Sample[] = [];
    const cpu: Sample[] = [];
    const throttled: Sample[] = [];
    const cpuLimit: Sample[] = [];
    const rss: Sample[] = [];
    const cache: Sample[] = [];
    const memLimit: Sample[] = [];
    for (const c of this.containers.values()) {
      if (!c.present) continue;
      const base = { container_id: c.id, app_id: c.appId };
      const systemd = c.kind === 'systemd';
      info.push({
        labels: { ...base, image: c.image, systemd_triggered_by: '', systemd_type: systemd ? 'service' : '' },
        value: 1,
      });
      for (const t of c.types) types.push({ labels: { ...base, application_type: t }, value: 1 });
      restarts.push({ labels: base, value: c.runtimeRestarts ?? c.restartsSeen });
      ooms.push({ labels: base, value: c.oomKills });
      for (const addr of c.listen)
        listen.push({ labels: { ...base, listen_addr: addr, proxy: '' }, value: 1 });
      const r = c.resources;
      if (r.cpuUsageSeconds !== undefined) cpu.push({ labels: base, value: r.cpuUsageSeconds });
      if (r.cpuThrottledSeconds !== undefined) throttled.push({ labels: base, value: r.cpuThrottledSeconds });
      if (r.cpuLimitCores !== undefined) cpuLimit.push({ labels: base, value: r.cpuLimitCores });
      if (r.memoryRssBytes !== undefined) rss.push({ labels: base, value: r.memoryRssBytes });
      if (r.memoryCacheBytes !== undefined) cache.push({ labels: base, value: r.memoryCacheBytes });
      if (r.memoryLimitBytes !== undefined) memLimit.push({ labels: base, value: r.memoryLimitBytes });
    }
    const present = [...this.containers.values()].filter((c) => c.present);
    const labelled = (c: Container) => ({ container_id: c.id, app_id: c.appId });
    const cpuDelays = this.cpuDelay.totals;
    const blkioDelays = this.blkioDelay.totals;
    const extra = [
      ...pressureFamilies(
        present.flatMap((c) =>
          c.resources.pressure === undefined ? [] : [{ labels: labelled(c), pressure: c.resources.pressure }],
        ),
      ),
      cpuDelayFamily(
        present.flatMap((c) => {
          const seconds = cpuDelays.get(c.id);
          return seconds === undefined ? [] : [{ labels: labelled(c), seconds }];
        }),
      ),
      ...diskFamilies(
        present.map((c) => {
          const delay = this.blkioDelayAccounted ? blkioDelays.get(c.id) : undefined;
          return delay === undefined
            ? { labels: labelled(c), disks: c.disks }
            : { labels: labelled(c), disks: c.disks, delaySeconds: delay };
        }),
      ),
    ];
    return [
      ...extra,
      { name: 'container_info', type: 'gauge', help: 'Container metadata', samples: info },
      {
        name: 'container_application_type',
        type: 'gauge',
        help: 'Applications found in the container',
        samples: types,
      },
      {
        name: 'container_restarts_total',
        type: 'counter',
        help: 'Times the container restarted',
        samples: restarts,
      },
      {
        name: 'container_oom_kills_total',
        type: 'counter',
        help: 'Processes of the container killed by the OOM killer',
        samples: ooms,
      },
      {
        name: 'container_net_tcp_listen_info',
        type: 'gauge',
        help: 'TCP addresses the container listens on',
        samples: listen,
      },
      {
        name: 'container_resources_cpu_usage_seconds_total',
        type: 'counter',
        help: 'CPU time used',
        samples: cpu,
      },
      {
        name: 'container_resources_cpu_throttled_seconds_total',
        type: 'counter',
        help: 'Time throttled by the CPU limit',
        samples: throttled,
      },
      { name: 'container_resources_cpu_limit_cores', type: 'gauge', help: 'CPU limit', samples: cpuLimit },
      {
        name: 'container_resources_memory_rss_bytes',
        type: 'gauge',
        help: 'Resident anonymous memory',
        samples: rss,
      },
      { name: 'container_resources_memory_cache_bytes', type: 'gauge', help: 'Page cache', samples: cache },
      {
        name: 'container_resources_memory_limit_bytes',
        type: 'gauge',
        help: 'Memory limit',
        samples: memLimit,
      },
    ];
  }

  /** Names of the runtime containers among `processes`, asked of the runtime once per container. */
  private async resolveRuntimeContainers(
    processes: readonly ProcessInfo[],
  ): Promise<Map<string, RuntimeContainer | 'skip' | undefined>> {
    const out = new Map<string, RuntimeContainer | 'skip' | undefined>();
    const names = this.options.runtimeNames;
    if (names === undefined) return out;
    const identities = new Map<string, CgroupIdentity>();
    for (const p of processes) {
      if (p.identity.runtimeId !== undefined && p.identity.kind !== 'lxc')
        identities.set(p.identity.runtimeId, p.identity);
    }
    await Promise.all(
      [...identities].map(async ([id, identity]) => out.set(id, await names.resolve(identity))),
    );
    return out;
  }

  private place(
    proc: ProcessInfo | HostLike,
    parentOf: (pid: number) => HostLike | undefined,
    runtime?: ReadonlyMap<string, RuntimeContainer | 'skip' | undefined>,
  ): Placement | undefined {
    const identity = proc.identity;
    switch (identity.kind) {
      case 'host': {
        const id = hostAppId(proc, parentOf);
        return { containerId: id, appId: id, image: '', restarts: undefined };
      }
      case 'systemd':
        return { containerId: identity.unit!, appId: identity.unit!, image: '', restarts: undefined };
      case 'pod':
        return undefined;
      case 'lxc': {
        const id = `/lxc/${identity.runtimeId}`;
        return { containerId: id, appId: id, image: '', restarts: undefined };
      }
      default: {
        const named =
          runtime !== undefined && runtime.has(identity.runtimeId!)
            ? runtime.get(identity.runtimeId!)
            : this.options.runtimeNames?.lookup(identity);
        if (named === 'skip') return undefined;
        const c = named ?? provisionalName(identity);
        return { containerId: c.containerId, appId: c.appId, image: c.image ?? '', restarts: c.restarts };
      }
    }
  }

  private containerFor(placement: Placement, first: ProcessInfo): Container {
    let container = this.containers.get(placement.containerId);
    if (container === undefined) {
      container = {
        id: placement.containerId,
        appId: placement.appId,
        image: placement.image,
        kind: first.identity.kind,
        runtimeId: first.identity.runtimeId,
        pids: [],
        types: new Set(),
        listen: new Set(),
        resources: {},
        disks: [],
        hostCpuSeconds: 0,
        runtimeRestarts: placement.restarts,
        restartsSeen: 0,
        oomKills: this.pendingOom.get(placement.containerId) ?? 0,
        present: true,
        goneSinceMs: 0,
      };
      this.pendingOom.delete(placement.containerId);
      this.containers.set(placement.containerId, container);
    } else {
      if (!container.present) container.restartsSeen++;
      container.present = true;
      container.appId = placement.appId;
      // A container recreated under the same name has a new runtime id.
      if (first.identity.runtimeId !== undefined) container.runtimeId = first.identity.runtimeId;
      if (placement.image !== '') container.image = placement.image;
      if (placement.restarts !== undefined) container.runtimeRestarts = placement.restarts;
    }
    return container;
  }

  /** A process read synchronously (for eBPF events about pids the last scan did not see). */
  private readNow(pid: number): HostLike | undefined {
    const dir = `${this.procRoot}/${pid}`;
    try {
      const stat = parseStat(readFileSync(`${dir}/stat`, 'utf8'));
      const cmdline = readFileSync(`${dir}/cmdline`, 'utf8')
        .split('\0')
        .filter((a) => a !== '');
      const cgroupPaths = parseProcCgroup(readFileSync(`${dir}/cgroup`, 'utf8'));
      let exe: string | undefined;
      try {
        exe = readlinkSync(`${dir}/exe`);
      } catch {
        exe = undefined;
      }
      return {
        pid,
        ppid: stat.ppid,
        comm: stat.comm,
        cmdline,
        exe,
        appType: cmdline.length === 0 ? undefined : detectAppType(cmdline, exe),
        identity: identifyCgroup(identifyingPath(cgroupPaths)),
      };
    } catch {
      return undefined;
    }
  }
}

type HostLike = HostProcess & { readonly identity: CgroupIdentity };

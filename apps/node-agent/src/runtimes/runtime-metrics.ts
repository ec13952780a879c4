/**
 * The runtime metrics of the agent in one place: JVM heap, GC and safepoints from hsperfdata
 * files (no privileges beyond reading /proc), and — where uprobes work — Node.js event-loop
 * blocked time and Python GIL wait, each from a bpftrace child process of its own. `collect`
 * runs once per agent interval: it reads the JVMs' files and finds the files to probe, starting
 * or restarting the bpftrace programs when those change; the uprobe counters grow from the
 * programs' own dumps in between.
 */
import { access } from 'node:fs/promises';
import type { Logger } from '@vigil/core';
import type { MetricFamily } from '@vigil/agent-kit';
import { ensureTracefs } from '../ebpf/tracefs.ts';
import { JvmMetrics, type ContainerProcesses, type JvmStatus } from './jvm-metrics.ts';
import { NodejsEventLoop } from './nodejs-event-loop.ts';
import { PythonGil } from './python-gil.ts';
import type { UprobeProgramStatus } from './uprobe-program.ts';
import { UprobeTargets } from './uprobe-targets.ts';

export interface RuntimeMetricsOptions {
  readonly logger: Logger;
  /** The containers of the last scan (`ContainerRegistry.list`). */
  readonly containers: () => readonly ContainerProcesses[];
  /** The container of a pid seen by a probe (`ContainerRegistry.containerOf`). */
  readonly containerOf: (pid: number) => string;
  /** Whether to try uprobes at all (root, bpftrace installed, eBPF not disabled). */
  readonly uprobes: boolean;
  /** How often the bpftrace programs print their sums; 5 s unless told. */
  readonly dumpSeconds?: number;
  readonly procRoot?: string;
  readonly bpftraceBinary?: string;
}

export interface RuntimeMetricsStatus {
  readonly jvm: JvmStatus;
  /** Why uprobe metrics are off, when they are. */
  readonly uprobesOff: string | undefined;
  readonly nodejs: UprobeProgramStatus;
  readonly python: UprobeProgramStatus;
}

export class RuntimeMetrics {
  private readonly jvm: JvmMetrics;
  private readonly targets: UprobeTargets;
  private readonly nodejs: NodejsEventLoop;
  private readonly python: PythonGil;
  private uprobesOff: string | undefined;

  constructor(private readonly options: RuntimeMetricsOptions) {
    const procRoot = options.procRoot ?? '/proc';
    this.jvm = new JvmMetrics(procRoot);
    this.targets = new UprobeTargets(procRoot);
    const probeOptions = {
      logger: options.logger,
      containerOf: options.containerOf,
      binary: options.bpftraceBinary,
    };
    this.nodejs = new NodejsEventLoop(probeOptions);
    this.python = new PythonGil(probeOptions);
    this.uprobesOff = options.uprobes ? undefined : 'disabled';
  }

  /** Checks that the kernel offers uprobes (tracefs with `uprobe_events`), mounting tracefs if needed. */
  async start(): Promise<void> {
    if (this.uprobesOff !== undefined) return;
    const tracefs = await ensureTracefs();
    if ('error' in tracefs) {
      this.uprobesOff = tracefs.error;
    } else if (
      !(await access(`${tracefs.dir}/uprobe_events`).then(
        () => true,
        () => false,
      ))
    ) {
      this.uprobesOff = `the kernel has no uprobes (no ${tracefs.dir}/uprobe_events; CONFIG_UPROBE_EVENTS is off)`;
    }
    if (this.uprobesOff !== undefined) {
      this.options.logger.warn({ reason: this.uprobesOff }, 'Node.js and Python runtime metrics unavailable');
    }
  }

  /** Once per agent interval. */
  async collect(): Promise<void> {
    const containers = this.options.containers();
    await this.jvm.collect(containers);
    if (this.uprobesOff !== undefined) return;
    const dumpSeconds = this.options.dumpSeconds ?? 5;
    // The agent is a Node.js process itself: it does not probe its own event loop.
    const targets = await this.targets.refresh(
      containers.flatMap((c) => c.pids).filter((pid) => pid !== process.pid),
    );
    await this.nodejs.probe(targets.node, dumpSeconds);
    await this.python.probe(targets.pythonLibc, targets.pythonPids, dumpSeconds);
    const present = new Set(containers.map((c) => c.id));
    this.nodejs.retain(present);
    this.python.retain(present);
  }

  families(labelsOf: (containerId: string) => Readonly<Record<string, string>>): MetricFamily[] {
    return [
      ...this.jvm.families(labelsOf),
      {
        name: 'container_nodejs_event_loop_blocked_time_seconds_total',
        type: 'counter',
        help: 'Total time the Node.js event loop spent blocked',
        samples: this.nodejs.samples(labelsOf),
      },
      {
        name: 'container_python_thread_lock_wait_time_seconds',
        type: 'counter',
        help: 'Time spent waiting acquiring GIL in seconds',
        samples: this.python.samples(labelsOf),
      },
    ];
  }

  status(): RuntimeMetricsStatus {
    return {
      jvm: this.jvm.status(),
      uprobesOff: this.uprobesOff,
      nodejs: this.nodejs.status(),
      python: this.python.status(),
    };
  }

  async stop(): Promise<void> {
    await Promise.all([this.nodejs.stop(), this.python.stop()]);
  }
}

/**
 * The agent's eBPF side: checks that it can run (root, bpftrace, tracefs, the tracepoints),
 * mounts tracefs when needed, runs the TCP program (tcp-program.ts) under a BpftraceRunner and
 * feeds each round of its map dumps (tcp-rounds.ts) to the connection tracker, and its OOM kills
 * to the container registry. When it
 * cannot run, `start` says why and the agent falls back to procfs (connections/procfs-tcp.ts).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { MetricFamily } from '@vigil/agent-kit';
import type { Logger } from '@vigil/core';
import type { TcpTracker } from '../connections/tcp-tracker.ts';
import type { DnsTracker } from '../l7/dns-tracker.ts';
import type { L7Tracker } from '../l7/l7-tracker.ts';
import { AOT_MAP_KEYS, compileAot, findAotRuntime, type AotProgram } from './bpftrace-aot.ts';
import { BpftraceRunner, type BpftraceStatus } from './bpftrace-runner.ts';
import { parseDnsLine, parseSpanMap, type L7SpanEvent } from './l7-events.ts';
import { SPAN_MAPS, type SpanSampling } from './l7-program.ts';
import { parseTcpProgramLine } from './tcp-events.ts';
import { l7OnSocketProbes, TCP_PROGRAM_READY, tcpProgram, type TcpProgramOptions } from './tcp-program.ts';
import { TcpRoundReader } from './tcp-rounds.ts';
import { ensureTracefs, listTracepoints } from './tracefs.ts';

const run = promisify(execFile);

export interface EbpfCollectorOptions {
  readonly tracker: TcpTracker;
  readonly onOomKill: (pid: number, comm: string, cgroupId: string) => void;
  /** How often kernel maps are printed (bytes, retransmits). */
  readonly dumpSeconds: number;
  readonly bpftrace?: string;
  /**
   * Entries per kernel map (default 16384): see BpftraceRunnerOptions.mapKeysMax. Set, it keeps
   * the program on `bpftrace -e` (the compiled form's maps have a fixed size).
   */
  readonly mapSize?: number;
  /**
   * false: never run the compiled form (VIGIL_EBPF_AOT=off). Otherwise the TCP program runs
   * compiled ahead of time when it has no L7 part and bpftrace-aotrt is installed
   * (bpftrace-aot.ts), until its maps prove too small.
   */
  readonly aot?: boolean;
  /** Where L7 request counts go; without it the program does not trace requests. */
  readonly l7?: L7Tracker;
  /** Where answered DNS queries go (only with `l7`). */
  readonly dns?: DnsTracker;
  /** false: read probes remember their arguments at syscall entry even on x86-64 (tests). */
  readonly l7ArgsFromRegs?: boolean;
  /** false: L7 on the syscall probes even where the socket tracepoints exist (VIGIL_L7_HOOKS=syscalls). */
  readonly l7SocketProbes?: boolean;
  readonly logger?: Logger;
  /** Which requests become span events, and where they go (only with `l7`). */
  readonly spans?: { readonly sampling: SpanSampling; readonly onSpan: (event: L7SpanEvent) => void };
}

/** Syscall tracepoints the L7 probes need. */
const L7_TRACEPOINTS = [
  'syscalls:sys_enter_write',
  'syscalls:sys_enter_writev',
  'syscalls:sys_enter_sendto',
  'syscalls:sys_enter_read',
  'syscalls:sys_exit_read',
  'syscalls:sys_enter_recvfrom',
  'syscalls:sys_exit_recvfrom',
  'syscalls:sys_enter_close',
  'syscalls:sys_enter_sendmmsg',
];

const REQUIRED = ['sock:inet_sock_set_state', 'tcp:tcp_retransmit_skb'];

/** Entries per kernel map under `bpftrace -e` unless `mapSize` says otherwise. */
const DEFAULT_MAP_SIZE = 16_384;

export class EbpfCollector {
  private runner: BpftraceRunner | undefined;
  /** TCP events the kernel counted (connects, failures, closes) plus OOM kills. */
  private events = 0;
  private unfollowed = 0;
  private spanEvents = 0;
  private programOptions: TcpProgramOptions | undefined;
  private fallingBack = false;
  /** The compiled program while it is the one running. */
  private compiled: AotProgram | undefined;
  /** Connections not followed by programs that ran before the current one. */
  private unfollowedBefore = 0;
  /** Intervals whose counts map was full (some counts may be missing). */
  private fullIntervals = 0;

  constructor(private readonly options: EbpfCollectorOptions) {}

  /** Starts bpftrace; resolves with why eBPF is unavailable, or undefined once it runs. */
  async start(): Promise<string | undefined> {
    if (process.getuid?.() !== 0) return 'not running as root';
    const binary = this.options.bpftrace ?? 'bpftrace';
    try {
      await run(binary, ['--version'], { timeout: 10_000 });
    } catch {
      return `${binary} is not installed (Debian/Ubuntu/RHEL package "bpftrace")`;
    }
    const tracefs = await ensureTracefs();
    if ('error' in tracefs) return tracefs.error;
    const tracepoints = await listTracepoints(tracefs.dir);
    const missing = REQUIRED.filter((t) => !tracepoints.has(t));
    if (missing.length > 0) return `the kernel lacks tracepoints ${missing.join(', ')}`;
    this.programOptions = {
      dumpSeconds: this.options.dumpSeconds,
      byteCounts: tracepoints.has('sock:sock_send_length') && tracepoints.has('sock:sock_recv_length'),
      oomEvents: tracepoints.has('oom:mark_victim'),
      l7: this.options.l7 !== undefined && L7_TRACEPOINTS.every((t) => tracepoints.has(t)),
      // x86-64 read probes take their arguments from the saved registers (one probe, no map per
      // read); a kernel whose layout differs is detected by the program and falls back.
      l7ArgsFromRegs: process.arch === 'x64' && this.options.l7ArgsFromRegs !== false,
      l7SocketProbes: this.options.l7SocketProbes !== false,
      ...(this.options.spans === undefined ? {} : { spans: this.spanSampling(this.options.spans.sampling) }),
    };
    await this.compileIfPossible(binary);
    let error = await this.launch(binary);
    if (error !== undefined && this.compiled !== undefined) {
      this.options.logger?.warn({ err: error }, 'the compiled eBPF program did not start; using bpftrace -e');
      await this.dropCompiled();
      error = await this.launch(binary);
    }
    if (error !== undefined) await this.stop();
    return error;
  }

  /** Compiles the program ahead of time where that form can run it (see `aot`). */
  private async compileIfPossible(binary: string): Promise<void> {
    const program = this.programOptions!;
    if (this.options.aot === false || this.options.mapSize !== undefined || program.l7 === true) return;
    const runtime = await findAotRuntime(binary);
    if (runtime === undefined) return;
    const compiled = await compileAot(tcpProgram({ ...program, portable: true }), {
      bpftrace: binary,
      runtime,
    });
    if ('error' in compiled) {
      this.options.logger?.warn({ err: compiled.error }, 'bpftrace --aot failed; using bpftrace -e');
      return;
    }
    this.compiled = compiled;
  }

  private async dropCompiled(): Promise<void> {
    await this.runner?.stop();
    await this.compiled?.dispose();
    this.compiled = undefined;
  }

  /**
   * The sampling as the program gets it: a second's spans wait in a map of the program's map
   * size, so the per-second budget is never larger (a fuller map would drop them unseen).
   */
  private spanSampling(sampling: SpanSampling): SpanSampling {
    const mapSize = this.options.mapSize ?? DEFAULT_MAP_SIZE;
    return sampling.maxPerSecond <= mapSize ? sampling : { ...sampling, maxPerSecond: mapSize };
  }

  /** `aot` when the running program is the compiled form, `jit` for `bpftrace -e`. */
  get runtime(): 'aot' | 'jit' {
    return this.compiled === undefined ? 'jit' : 'aot';
  }

  /** Whether the L7 statements run inside the socket tracepoints (see l7-program.ts). */
  get l7OnSocketProbes(): boolean {
    return this.programOptions !== undefined && l7OnSocketProbes(this.programOptions);
  }

  /** Whether read probes take their arguments from the saved registers (see l7-program.ts). */
  get l7ArgsFromRegs(): boolean {
    return this.programOptions?.l7ArgsFromRegs === true;
  }

  /** Runs the program; resolves once it attached (undefined) or with why it could not. */
  private async launch(binary: string): Promise<string | undefined> {
    const { compiled } = this;
    const program = tcpProgram({ ...this.programOptions!, portable: compiled !== undefined });
    const { tracker } = this.options;
    const mapSize = compiled === undefined ? (this.options.mapSize ?? DEFAULT_MAP_SIZE) : AOT_MAP_KEYS;
    const rounds = new TcpRoundReader(mapSize);
    let attached!: (error: string | undefined) => void;
    const firstAttach = new Promise<string | undefined>((resolve) => (attached = resolve));
    const runner = new BpftraceRunner(
      {
        program,
        binary,
        readyLine: TCP_PROGRAM_READY,
        mapKeysMax: mapSize,
        ...(compiled === undefined ? {} : { compiled }),
      },
      {
        onPrintf: (line) => {
          if (line.startsWith('D ')) {
            const answer = parseDnsLine(line);
            if (answer !== undefined) this.options.dns?.add(answer);
            return;
          }
          const event = parseTcpProgramLine(line);
          if (event?.kind === 'oom') {
            this.events++;
            this.options.onOomKill(event.pid, event.comm, event.cgroupId);
          } else if (event?.kind === 'heartbeat') {
            const round = rounds.finish();
            for (const c of round.connects) this.events += c.count;
            for (const c of round.failures) this.events += c.count;
            for (const c of round.closed) this.events += c.count;
            this.unfollowed = round.unfollowed;
            if (round.aggregateFull) this.fullIntervals++;
            tracker.applyRound(round);
            this.options.l7?.apply(round.l7);
            this.options.l7?.applyMessages(round.messages);
            if (round.l7RegisterMisses > 0 && this.l7ArgsFromRegs) void this.fallBackToEntryProbes(binary);
            if (compiled !== undefined && (round.aggregateFull || round.unfollowed > 0))
              void this.leaveCompiled(binary);
          }
        },
        onMap: (name, entries) => {
          if (name === SPAN_MAPS[0] || name === SPAN_MAPS[1]) {
            for (const span of parseSpanMap(entries)) {
              this.spanEvents++;
              this.options.spans?.onSpan(span);
            }
            return;
          }
          rounds.add(name, entries);
        },
        onAttached: (_probes, restarted) => {
          rounds.reset();
          // A fresh program counts from 0 again.
          this.unfollowedBefore += this.unfollowed;
          this.unfollowed = 0;
          if (restarted) tracker.forgetLiveSockets();
          attached(undefined);
        },
        onExit: (code, signal, stderr) =>
          attached(`bpftrace exited (${signal ?? `code ${code}`}): ${stderr}`),
      },
    );
    this.runner = runner;
    runner.start();
    return firstAttach;
  }

  /**
   * The saved registers did not hold a read's arguments on this kernel (another stack layout):
   * the program runs again with an entry probe per read, as on other architectures.
   */
  private fallBackToEntryProbes(binary: string): Promise<void> {
    return this.relaunch(
      binary,
      'L7 read probes: the saved registers do not hold the syscall arguments on this kernel; using entry probes',
      async () => {
        this.programOptions = { ...this.programOptions!, l7ArgsFromRegs: false };
        await this.runner?.stop();
      },
    );
  }

  /**
   * The compiled program's maps ({@link AOT_MAP_KEYS} entries) filled up: the program runs again
   * under `bpftrace -e`, whose maps have the configured size.
   */
  private leaveCompiled(binary: string): Promise<void> {
    if (this.compiled === undefined) return Promise.resolve();
    return this.relaunch(
      binary,
      `the compiled eBPF program's maps (${AOT_MAP_KEYS} entries) are full; running it under bpftrace -e with ${this.options.mapSize ?? DEFAULT_MAP_SIZE}`,
      () => this.dropCompiled(),
    );
  }

  /** Stops the program, applies `change`, and runs it again (its live sockets start over). */
  private async relaunch(binary: string, why: string, change: () => Promise<void>): Promise<void> {
    if (this.programOptions === undefined || this.fallingBack) return;
    this.fallingBack = true;
    this.options.logger?.warn({}, why);
    await change();
    this.options.tracker.forgetLiveSockets();
    const error = await this.launch(binary);
    this.fallingBack = false;
    if (error !== undefined) this.options.logger?.error({ err: error }, 'bpftrace did not restart');
  }

  status(): (BpftraceStatus & { events: number; runtime: 'aot' | 'jit' }) | undefined {
    return this.runner === undefined
      ? undefined
      : { ...this.runner.status(), events: this.events, runtime: this.runtime };
  }

  /** bpftrace's pid while it runs (tests and the benchmark measure it). */
  get pid(): number | undefined {
    return this.runner?.pid;
  }

  families(): MetricFamily[] {
    const status = this.status();
    if (status === undefined) return [];
    return [
      {
        name: 'vigil_node_agent_ebpf_events_total',
        type: 'counter',
        help: 'TCP connects, failed connects and closes counted by the eBPF program, and OOM kills',
        samples: [{ labels: {}, value: status.events }],
      },
      {
        name: 'vigil_node_agent_ebpf_lost_events_total',
        type: 'counter',
        help: 'Events lost: dropped because the eBPF output buffer was full, or connections not followed because the socket map was full',
        samples: [{ labels: {}, value: status.lostEvents + this.unfollowedBefore + this.unfollowed }],
      },
      {
        name: 'vigil_node_agent_ebpf_full_map_intervals_total',
        type: 'counter',
        help: 'Intervals in which the eBPF map of connection counts was full, so some counts may be missing (raise VIGIL_EBPF_MAP_SIZE)',
        samples: [{ labels: {}, value: this.fullIntervals }],
      },
      {
        name: 'vigil_node_agent_ebpf_runtime',
        type: 'gauge',
        help: 'How the eBPF program runs: compiled ahead of time (aot, bpftrace-aotrt) or compiled at start (jit, bpftrace -e)',
        samples: [{ labels: { runtime: this.runtime }, value: 1 }],
      },
      {
        name: 'vigil_node_agent_ebpf_l7_events_total',
        type: 'counter',
        help: 'Per-request events the kernel sent to the agent: sampled requests (span) and answered DNS queries (dns); every other request is counted in the kernel',
        samples: [
          { labels: { kind: 'span' }, value: this.spanEvents },
          { labels: { kind: 'dns' }, value: this.options.dns?.answers ?? 0 },
        ],
      },
      {
        name: 'vigil_node_agent_ebpf_starts_total',
        type: 'counter',
        help: 'Times bpftrace was started (more than 1: it died and was restarted)',
        samples: [{ labels: {}, value: status.starts }],
      },
      {
        name: 'vigil_node_agent_ebpf_tracked_connections',
        type: 'gauge',
        help: 'Outbound TCP connections being followed',
        samples: [{ labels: {}, value: this.options.tracker.liveSockets }],
      },
    ];
  }

  async stop(): Promise<void> {
    await this.runner?.stop();
    this.runner = undefined;
    await this.compiled?.dispose();
    this.compiled = undefined;
  }
}

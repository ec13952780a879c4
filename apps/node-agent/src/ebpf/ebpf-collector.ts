/**
 * The agent's eBPF side: checks that it can run (root, bpftrace, tracefs, the tracepoints),
 * mounts tracefs when needed, runs the TCP program (tcp-program.ts) under a BpftraceRunner and
 * feeds its events to the connection tracker and the container registry (OOM kills). When it
 * cannot run, `start` says why and the agent falls back to procfs (connections/procfs-tcp.ts).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { MetricFamily } from '@vigil/agent-kit';
import type { TcpTracker } from '../connections/tcp-tracker.ts';
import { BpftraceRunner, type BpftraceStatus } from './bpftrace-runner.ts';
import { parseTcpEvent } from './tcp-events.ts';
import { tcpProgram } from './tcp-program.ts';
import { ensureTracefs, listTracepoints } from './tracefs.ts';

const run = promisify(execFile);

export interface EbpfCollectorOptions {
  readonly tracker: TcpTracker;
  readonly onOomKill: (pid: number, comm: string, cgroupId: string) => void;
  /** How often kernel maps are printed (bytes, retransmits). */
  readonly dumpSeconds: number;
  readonly bpftrace?: string;
}

const REQUIRED = ['sock:inet_sock_set_state', 'tcp:tcp_retransmit_skb'];

export class EbpfCollector {
  private runner: BpftraceRunner | undefined;
  private events = 0;

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
    const program = tcpProgram({
      dumpSeconds: this.options.dumpSeconds,
      byteCounts: tracepoints.has('sock:sock_send_length') && tracepoints.has('sock:sock_recv_length'),
      oomEvents: tracepoints.has('oom:mark_victim'),
    });
    const { tracker } = this.options;
    let attached!: (error: string | undefined) => void;
    const firstAttach = new Promise<string | undefined>((resolve) => (attached = resolve));
    this.runner = new BpftraceRunner(
      { program, binary },
      {
        onPrintf: (line) => {
          const event = parseTcpEvent(line);
          if (event === undefined) return;
          this.events++;
          if (event.kind === 'oom') this.options.onOomKill(event.pid, event.comm, event.cgroupId);
          else tracker.handle(event);
        },
        onMap: (name, entries) => tracker.handleMap(name, entries),
        onAttached: (_probes, restarted) => {
          if (restarted) tracker.forgetLiveSockets();
          attached(undefined);
        },
        onExit: (code, signal, stderr) =>
          attached(`bpftrace exited (${signal ?? `code ${code}`}): ${stderr}`),
      },
    );
    this.runner.start();
    const error = await firstAttach;
    if (error !== undefined) await this.stop();
    return error;
  }

  status(): (BpftraceStatus & { events: number }) | undefined {
    return this.runner === undefined ? undefined : { ...this.runner.status(), events: this.events };
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
        help: 'Events read from the eBPF programs',
        samples: [{ labels: {}, value: status.events }],
      },
      {
        name: 'vigil_node_agent_ebpf_lost_events_total',
        type: 'counter',
        help: 'Events the kernel dropped because the eBPF output buffer was full',
        samples: [{ labels: {}, value: status.lostEvents }],
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
  }
}

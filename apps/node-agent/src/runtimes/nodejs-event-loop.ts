/**
 * Node.js event-loop blocked time (`container_nodejs_event_loop_blocked_time_seconds_total`),
 * measured as Coroot measures it: the time the main thread's libuv loop spends running code
 * rather than waiting for I/O. libuv waits in `uv__io_poll` (epoll) and runs I/O callbacks from
 * inside it, everything else (timers, immediates, close callbacks) between two polls:
 *
 * ```
 *   uv__io_poll ──return──► timers, check, … ──► uv__io_poll ─► epoll_wait ─► uv__stream_io ─► …
 *                └──────────── counted ───────┘                              └─ counted ─┘
 * ```
 *
 * So the counter is the sum of every span from a `uv__io_poll` return to the next entry, plus
 * every libuv I/O callback's run (`uv__stream_io`, `uv__server_io`, …, those the binary has
 * symbols for). Only the main thread counts (pid = tid); worker threads' loops do not. A loop
 * that is busy all the time grows the counter by one second per second. There is no threshold:
 * short turns add up too (a few microseconds each on an idle loop).
 */
import type { Logger } from '@vigil/core';
import type { Sample } from '@vigil/agent-kit';
import { ContainerSeconds } from './container-seconds.ts';
import { SUMS_MAP, UprobeProgram, type UprobeProgramStatus } from './uprobe-program.ts';
import type { NodeBinary } from './uprobe-targets.ts';

/** The bpftrace probes for these `node` executables (empty: nothing to probe). */
export function nodejsEventLoopProbes(binaries: readonly NodeBinary[]): string {
  if (binaries.length === 0) return '';
  const perBinary = binaries
    .map(({ path, callbacks }) => {
      const entries = callbacks.map((cb) => `uprobe:${path}:${cb}`).join(', ');
      const returns = callbacks.map((cb) => `uretprobe:${path}:${cb}`).join(', ');
      const callbackProbes =
        callbacks.length === 0
          ? ''
          : `\n${entries} /pid == tid/ { @cb_start[pid] = nsecs; }` +
            `\n${returns} /pid == tid && @cb_start[pid] != 0/ { ${SUMS_MAP}[pid] = sum(nsecs - @cb_start[pid]); delete(@cb_start[pid]); }`;
      return (
        `uretprobe:${path}:uv__io_poll /pid == tid/ { @poll_return[pid] = nsecs; }` +
        `\nuprobe:${path}:uv__io_poll /pid == tid && @poll_return[pid] != 0/ { ${SUMS_MAP}[pid] = sum(nsecs - @poll_return[pid]); delete(@poll_return[pid]); }` +
        callbackProbes
      );
    })
    .join('\n');
  // Starts of spans still open when a process exits would stay in the maps for good.
  const cleanup =
    'tracepoint:sched:sched_process_exit /pid == tid/ { delete(@poll_return[pid]); delete(@cb_start[pid]); }';
  return `${perBinary}\n${cleanup}`;
}

export class NodejsEventLoop {
  private readonly program: UprobeProgram;
  private readonly blocked: ContainerSeconds;

  constructor(options: { logger: Logger; containerOf: (pid: number) => string; binary?: string }) {
    this.blocked = new ContainerSeconds(options.containerOf);
    this.program = new UprobeProgram({
      name: 'nodejs',
      logger: options.logger,
      binary: options.binary,
      onSums: (sums) => this.blocked.add(sums),
    });
  }

  /** Probes these executables from now on (restarting bpftrace if they changed). */
  async probe(binaries: readonly NodeBinary[], dumpSeconds: number): Promise<void> {
    await this.program.run(nodejsEventLoopProbes(binaries), binaries.length, dumpSeconds);
  }

  retain(present: ReadonlySet<string>): void {
    this.blocked.retain(present);
  }

  blockedSeconds(containerId: string): number | undefined {
    return this.blocked.seconds(containerId);
  }

  samples(labelsOf: (containerId: string) => Readonly<Record<string, string>>): Sample[] {
    return this.blocked.samples(labelsOf);
  }

  status(): UprobeProgramStatus {
    return this.program.status();
  }

  stop(): Promise<void> {
    return this.program.stop();
  }
}

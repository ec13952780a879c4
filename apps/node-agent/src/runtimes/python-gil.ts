/**
 * Python GIL wait (`container_python_thread_lock_wait_time_seconds`), measured as Coroot
 * measures it: the time Python processes' threads spend in `pthread_cond_timedwait`. CPython
 * (3.2 and later) waits for the GIL in `take_gil` with exactly that call, in slices of the
 * switch interval (5 ms), until the holder drops it; its other waits (`threading.Lock`,
 * `time.sleep`, I/O) use semaphores or system calls, not condition variables. A C extension
 * waiting on a condition variable of its own counts too.
 *
 * The probe is on the C library file, which every program on the host calls the function in:
 * the kernel map sums all of them, and only the pids of Python processes are kept.
 */
import type { Logger } from '@vigil/core';
import type { Sample } from '@vigil/agent-kit';
import { ContainerSeconds } from './container-seconds.ts';
import { SUMS_MAP, UprobeProgram, type UprobeProgramStatus } from './uprobe-program.ts';
import type { LibcFile } from './uprobe-targets.ts';

/** The bpftrace probes for these C library files (empty: nothing to probe). */
export function pythonGilProbes(files: readonly LibcFile[]): string {
  if (files.length === 0) return '';
  const perFile = files.map(
    ({ path, symbol }) =>
      `uprobe:${path}:"${symbol}" { @wait_start[tid] = nsecs; }` +
      `\nuretprobe:${path}:"${symbol}" /@wait_start[tid] != 0/ { ${SUMS_MAP}[pid] = sum(nsecs - @wait_start[tid]); delete(@wait_start[tid]); }`,
  );
  // A thread that ends inside the wait (its process killed) would leave its start behind.
  return `${perFile.join('\n')}\ntracepoint:sched:sched_process_exit { delete(@wait_start[tid]); }`;
}

export class PythonGil {
  private readonly program: UprobeProgram;
  private readonly waits: ContainerSeconds;
  private pythonPids: ReadonlySet<number> = new Set();

  constructor(options: { logger: Logger; containerOf: (pid: number) => string; binary?: string }) {
    this.waits = new ContainerSeconds(options.containerOf);
    this.program = new UprobeProgram({
      name: 'python',
      logger: options.logger,
      binary: options.binary,
      onSums: (sums) => this.waits.add(sums, (pid) => this.pythonPids.has(pid)),
    });
  }

  /** Probes these files from now on and counts the waits of these pids only. */
  async probe(
    files: readonly LibcFile[],
    pythonPids: ReadonlySet<number>,
    dumpSeconds: number,
  ): Promise<void> {
    this.pythonPids = pythonPids;
    await this.program.run(pythonGilProbes(files), files.length, dumpSeconds);
  }

  retain(present: ReadonlySet<string>): void {
    this.waits.retain(present);
  }

  waitSeconds(containerId: string): number | undefined {
    return this.waits.seconds(containerId);
  }

  samples(labelsOf: (containerId: string) => Readonly<Record<string, string>>): Sample[] {
    return this.waits.samples(labelsOf);
  }

  status(): UprobeProgramStatus {
    return this.program.status();
  }

  stop(): Promise<void> {
    return this.program.stop();
  }
}

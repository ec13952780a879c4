/**
 * One bpftrace child process whose probes depend on the files found to probe: started when
 * there is something to probe, restarted when that set changes (bpftrace cannot add probes to a
 * running program), stopped when nothing is left. The program sums nanoseconds per pid in one
 * map, printed and cleared every `dumpSeconds`; each dump is handed over as pid → nanoseconds.
 * Time is counted when the measured span ends, so a span still open at a dump is counted in a
 * later one, and a span open when bpftrace restarts is lost.
 */
import type { Logger } from '@vigil/core';
import { BpftraceRunner, type BpftraceStatus } from '../ebpf/bpftrace-runner.ts';

export const SUMS_MAP = '@ns_by_pid';
const READY_LINE = 'uprobes attached';

export interface UprobeProgramOptions {
  /** For logs and status: `nodejs` or `python`. */
  readonly name: string;
  readonly logger: Logger;
  readonly onSums: (nsByPid: ReadonlyMap<number, number>) => void;
  readonly binary?: string;
}

export interface UprobeProgramStatus {
  /** Files probed (none: bpftrace is not running). */
  readonly targets: number;
  readonly bpftrace: BpftraceStatus | undefined;
}

export class UprobeProgram {
  private runner: BpftraceRunner | undefined;
  private probes = '';
  private targets = 0;

  constructor(private readonly options: UprobeProgramOptions) {}

  /**
   * Runs `probes` (the program's probe blocks without BEGIN or the interval dump), restarting
   * bpftrace when they differ from what runs. Resolves once attached, or after an attach failure.
   */
  async run(probes: string, targets: number, dumpSeconds: number): Promise<void> {
    if (probes === this.probes) return;
    await this.stop();
    this.probes = probes;
    this.targets = targets;
    if (probes === '') return;
    let settle: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const program = [
      `BEGIN { printf("${READY_LINE}\\n"); }`,
      probes,
      `interval:s:${Math.max(1, Math.round(dumpSeconds))} { print(${SUMS_MAP}); clear(${SUMS_MAP}); }`,
    ].join('\n');
    const runner = new BpftraceRunner(
      { program, binary: this.options.binary, readyLine: READY_LINE, mapKeysMax: 8192 },
      {
        onPrintf: () => undefined,
        onMap: (name, entries) => {
          if (name === SUMS_MAP) this.options.onSums(nsByPid(entries));
        },
        onAttached: (count, restarted) => {
          this.options.logger.info(
            { runtime: this.options.name, probes: count, targets, restarted },
            'runtime uprobes attached',
          );
          settle();
        },
        onExit: (code, signal, stderr) => {
          if (this.runner !== runner) return;
          this.options.logger.warn(
            { runtime: this.options.name, code, signal, stderr },
            'runtime uprobes: bpftrace exited',
          );
          settle();
        },
      },
    );
    this.runner = runner;
    runner.start();
    await settled;
  }

  status(): UprobeProgramStatus {
    return { targets: this.targets, bpftrace: this.runner?.status() };
  }

  async stop(): Promise<void> {
    const runner = this.runner;
    this.runner = undefined;
    this.probes = '';
    this.targets = 0;
    await runner?.stop();
  }
}

/** A dumped `@map[pid]` (bpftrace prints keys as strings) as pid → value. */
function nsByPid(entries: unknown): Map<number, number> {
  const out = new Map<number, number>();
  if (typeof entries !== 'object' || entries === null) return out;
  for (const [key, value] of Object.entries(entries)) {
    const pid = Number(key);
    if (Number.isInteger(pid) && typeof value === 'number' && value > 0) out.set(pid, value);
  }
  return out;
}

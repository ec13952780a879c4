/**
 * Adds the rounds of the profiler's map dumps (every few seconds) up into one profile per
 * container per period (60 s), and encodes each as a gzipped pprof:
 *
 * ```
 * round: { "pid,\n\t<user addrs>\n,\n\t<kernel frames>\n": count, … } + { pid: comm }
 *   ─► Symbolizer.prepare ─► per key: containerOf(pid, comm), frames root → leaf ─► stacks[container]
 * take(): per container ─► pprof { sample type ebpf:cpu:nanoseconds, value = count × 1e9/hz }
 * ```
 *
 * A stack's frames run from the process's outermost user frame to the innermost kernel frame
 * (bpftrace prints both leaf first). The number of distinct stacks held is bounded; samples past
 * the bound are kept under a single `[truncated]` frame so that totals stay right.
 */
import { encodePprof, type PprofSampleInput } from '@vigil/protocols';
import { newParsedStack, parseStackKey } from './stack-dump.ts';
import { UNKNOWN_FRAME, type Symbolizer } from './symbolizer.ts';

export const SAMPLE_TYPE = { type: 'ebpf:cpu:nanoseconds', unit: 'nanoseconds' } as const;
export const PERIOD_TYPE = { type: 'cpu', unit: 'nanoseconds' } as const;
const TRUNCATED = '[truncated]';
const SEPARATOR = '\u0000';

export interface ProfileAggregatorOptions {
  readonly symbolizer: Symbolizer;
  /** The sampling rate per CPU: one sample stands for 1e9 / hz nanoseconds of CPU. */
  readonly hz: number;
  readonly containerOf: (pid: number, comm: string) => string;
  /** Distinct (container, stack) pairs held per period (default 20,000). */
  readonly maxStacks?: number;
  readonly nowNs?: () => bigint;
}

export interface ContainerProfile {
  readonly containerId: string;
  /** Gzipped pprof. */
  readonly pprof: Buffer;
  readonly samples: number;
  readonly stacks: number;
}

interface StackCount {
  readonly frames: readonly string[];
  count: number;
}

export class ProfileAggregator {
  private containers = new Map<string, Map<string, StackCount>>();
  private stacks = 0;
  private periodStartNs: bigint;
  private readonly maxStacks: number;
  private readonly nowNs: () => bigint;
  private readonly scratch = newParsedStack();
  private readonly frames: string[] = [];
  /** Samples counted under `[truncated]` since start. */
  truncatedSamples = 0;
  /** Samples read since start. */
  totalSamples = 0;

  constructor(private readonly options: ProfileAggregatorOptions) {
    this.maxStacks = options.maxStacks ?? 20_000;
    this.nowNs = options.nowNs ?? (() => BigInt(Date.now()) * 1_000_000n);
    this.periodStartNs = this.nowNs();
  }

  /** Adds one round of counts (`stacks`: map dump entries; `comms`: pid → comm). */
  async addRound(
    stacks: Readonly<Record<string, unknown>>,
    comms: Readonly<Record<string, unknown>>,
  ): Promise<void> {
    const keys = Object.keys(stacks);
    if (keys.length === 0) return;
    const { symbolizer, containerOf } = this.options;
    await symbolizer.prepare(keys);
    const stack = this.scratch;
    const frames = this.frames;
    const containerOfPid = new Map<number, string>();
    for (const key of keys) {
      const count = stacks[key];
      if (typeof count !== 'number' || count <= 0 || !parseStackKey(key, stack)) continue;
      const pid = stack.pid;
      let containerId = containerOfPid.get(pid);
      if (containerId === undefined) {
        // The process's name; for a process gone before it was read, the sampled thread's.
        const comm = symbolizer.processName(pid) || comms[String(pid)];
        containerId = containerOf(pid, typeof comm === 'string' ? comm : '');
        containerOfPid.set(pid, containerId);
      }
      frames.length = 0;
      for (let i = stack.userCount - 1; i >= 0; i--) frames.push(symbolizer.userFrame(pid, stack.user[i]!));
      for (let i = stack.kernelCount - 1; i >= 0; i--) {
        frames.push(symbolizer.kernelFrame(stack.kernel[i]!, stack.kernelNames[i]!));
      }
      if (frames.length === 0) frames.push(UNKNOWN_FRAME);
      this.add(containerId, frames, count);
    }
  }

  /** The profiles of the period that ends now, one per container; starts the next period. */
  take(): ContainerProfile[] {
    const endNs = this.nowNs();
    const startNs = this.periodStartNs;
    const containers = this.containers;
    this.containers = new Map();
    this.stacks = 0;
    this.periodStartNs = endNs;
    const nsPerSample = 1e9 / this.options.hz;
    const out: ContainerProfile[] = [];
    for (const [containerId, stacks] of containers) {
      const samples: PprofSampleInput[] = [];
      let total = 0;
      for (const s of stacks.values()) {
        samples.push({ stack: s.frames, values: [Math.round(s.count * nsPerSample)] });
        total += s.count;
      }
      const pprof = encodePprof({
        sampleTypes: [SAMPLE_TYPE],
        samples,
        timeNanos: startNs,
        durationNanos: endNs > startNs ? endNs - startNs : 0n,
        periodType: PERIOD_TYPE,
        period: Math.round(nsPerSample),
      });
      out.push({ containerId, pprof, samples: total, stacks: samples.length });
    }
    return out;
  }

  /** Distinct stacks held for the current period. */
  get heldStacks(): number {
    return this.stacks;
  }

  private add(containerId: string, frames: readonly string[], count: number): void {
    this.totalSamples += count;
    let stacks = this.containers.get(containerId);
    if (stacks === undefined) this.containers.set(containerId, (stacks = new Map()));
    const key = frames.join(SEPARATOR);
    let entry = stacks.get(key);
    if (entry === undefined) {
      if (this.stacks >= this.maxStacks) {
        this.truncatedSamples += count;
        entry = stacks.get(TRUNCATED);
        if (entry === undefined) {
          stacks.set(TRUNCATED, (entry = { frames: [TRUNCATED], count: 0 }));
          this.stacks++;
        }
      } else {
        stacks.set(key, (entry = { frames: frames.slice(), count: 0 }));
        this.stacks++;
      }
    }
    entry.count += count;
  }
}

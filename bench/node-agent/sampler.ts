/**
 * Samples process groups once a second and summarizes any stretch of the run: CPU as a share
 * of one core between two samples, resident memory (of one group or several added up per
 * sample) as mean and max over the samples in between.
 */
import type { GroupReading, ProcessGroup } from './process-meter.ts';

export interface Sample {
  /** performance.now() of the reading. */
  readonly ms: number;
  /** CLOCK_MONOTONIC in µs (the clock of V8's CPU profiles). */
  readonly monotonicUs: number;
  readonly groups: ReadonlyMap<string, GroupReading>;
}

export interface StretchStats {
  readonly seconds: number;
  readonly cpuSeconds: number;
  /** CPU-seconds per second: 0.02 is 2% of one core. */
  readonly cpuShare: number;
  readonly rssMeanBytes: number;
  readonly rssMaxBytes: number;
}

export class Sampler {
  readonly samples: Sample[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly groups: readonly ProcessGroup[]) {}

  start(everyMs = 1000): void {
    this.sampleNow();
    this.timer = setInterval(() => this.sampleNow(), everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Takes a sample now (stretch boundaries are exact, not rounded to the next tick). */
  sampleNow(): Sample {
    const sample: Sample = {
      ms: performance.now(),
      monotonicUs: Number(process.hrtime.bigint() / 1000n),
      groups: new Map(this.groups.map((g) => [g.name, g.read()])),
    };
    this.samples.push(sample);
    return sample;
  }

  /** CPU and RSS of `names` together from `from` to `to` (both samples of this sampler). */
  stats(names: readonly string[], from: Sample, to: Sample): StretchStats {
    const cpu = (s: Sample): number => names.reduce((n, g) => n + (s.groups.get(g)?.cpuSeconds ?? 0), 0);
    const rss = (s: Sample): number => names.reduce((n, g) => n + (s.groups.get(g)?.rssBytes ?? 0), 0);
    const inside = this.samples.filter((s) => s.ms >= from.ms && s.ms <= to.ms).map(rss);
    const seconds = (to.ms - from.ms) / 1000;
    const cpuSeconds = cpu(to) - cpu(from);
    return {
      seconds,
      cpuSeconds,
      cpuShare: cpuSeconds / seconds,
      rssMeanBytes: inside.reduce((a, b) => a + b, 0) / Math.max(1, inside.length),
      rssMaxBytes: Math.max(0, ...inside),
    };
  }

  /** The last sample taken at or before `ms` (else the first one after it). */
  nearest(ms: number): Sample | undefined {
    let found: Sample | undefined;
    for (const s of this.samples) {
      if (s.ms <= ms) found = s;
      else return found ?? s;
    }
    return found;
  }
}

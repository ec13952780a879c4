/**
 * JVM heap, GC and safepoint metrics from hsperfdata files, under Coroot's names. Each interval
 * reads the whole file of every JVM once (about 32 KB, a page-cache read of the JVM's mapping)
 * and keeps the decoded numbers until `families` turns them into series:
 *
 * | family                                       | from                                            |
 * |----------------------------------------------|-------------------------------------------------|
 * | container_jvm_info{java_version}             | java.property.java.version                      |
 * | container_jvm_heap_size_bytes                | Σ sun.gc.generation.N.capacity                  |
 * | container_jvm_heap_used_bytes                | Σ sun.gc.generation.N.space.M.used              |
 * | container_jvm_gc_time_seconds{gc}            | sun.gc.collector.N.time / sun.os.hrt.frequency  |
 * | container_jvm_safepoint_time_seconds         | sun.rt.safepointTime / frequency                |
 * | container_jvm_safepoint_sync_time_seconds    | sun.rt.safepointSyncTime / frequency            |
 *
 * `jvm` is the first word of `sun.rt.javaCommand`: the main class, or the jar's file name.
 * Metaspace is not heap and is left out of both heap figures.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MetricFamily, Sample } from '@vigil/agent-kit';
import { parseHsperfdata, type PerfCounters } from './hsperfdata.ts';
import { JvmLocator } from './jvm-locator.ts';

export interface JvmReading {
  readonly jvm: string;
  readonly javaVersion: string;
  readonly heapSizeBytes: number;
  readonly heapUsedBytes: number;
  /** Collector name → seconds spent in it since the JVM started. */
  readonly gcSeconds: ReadonlyMap<string, number>;
  readonly safepointSeconds: number;
  readonly safepointSyncSeconds: number;
}

export interface ContainerProcesses {
  readonly id: string;
  readonly pids: readonly number[];
}

export interface JvmStatus {
  readonly jvms: number;
  /** Files that could not be decoded in the last interval (truncated, not accessible yet). */
  readonly unreadable: number;
  readonly lastError: string | undefined;
}

/** Turns one JVM's decoded counters into the figures the families report. */
export function jvmReading(counters: PerfCounters): JvmReading {
  const num = (name: string): number => {
    const v = counters.get(name);
    return typeof v === 'number' ? v : 0;
  };
  const str = (name: string): string => {
    const v = counters.get(name);
    return typeof v === 'string' ? v : '';
  };
  const ticksPerSecond = num('sun.os.hrt.frequency') || 1e9;
  let heapSizeBytes = 0;
  let heapUsedBytes = 0;
  const gcSeconds = new Map<string, number>();
  for (const [name, value] of counters) {
    if (typeof value !== 'number' || !name.startsWith('sun.gc.')) continue;
    if (/^sun\.gc\.generation\.\d+\.capacity$/.test(name)) heapSizeBytes += value;
    else if (/^sun\.gc\.generation\.\d+\.space\.\d+\.used$/.test(name)) heapUsedBytes += value;
    else if (/^sun\.gc\.collector\.\d+\.time$/.test(name)) {
      const gc = str(`${name.slice(0, -'.time'.length)}.name`) || name;
      gcSeconds.set(gc, (gcSeconds.get(gc) ?? 0) + value / ticksPerSecond);
    }
  }
  const command = str('sun.rt.javaCommand').trim().split(/\s+/)[0] ?? '';
  return {
    jvm: command.endsWith('.jar') ? path.basename(command) : command || 'unknown',
    javaVersion: str('java.property.java.version') || str('java.vm.specification.version'),
    heapSizeBytes,
    heapUsedBytes,
    gcSeconds,
    safepointSeconds: num('sun.rt.safepointTime') / ticksPerSecond,
    safepointSyncSeconds: num('sun.rt.safepointSyncTime') / ticksPerSecond,
  };
}

export class JvmMetrics {
  private readonly locator: JvmLocator;
  private readings: { containerId: string; reading: JvmReading }[] = [];
  private unreadable = 0;
  private lastError: string | undefined;

  constructor(procRoot = '/proc') {
    this.locator = new JvmLocator(procRoot);
  }

  /** Reads every JVM's file once; what cannot be read now is skipped until the next interval. */
  async collect(containers: readonly ContainerProcesses[]): Promise<void> {
    const readings: { containerId: string; reading: JvmReading }[] = [];
    const live = new Set<number>();
    let unreadable = 0;
    for (const container of containers) {
      for (const pid of container.pids) live.add(pid);
      for (const jvm of await this.locator.locate(container.pids)) {
        let bytes: Buffer;
        try {
          bytes = await readFile(jvm.path);
        } catch (err) {
          this.locator.forget(jvm.pid); // removed at exit, or a stale path after a restart
          this.lastError = `${jvm.path}: ${(err as Error).message}`;
          continue;
        }
        const parsed = parseHsperfdata(bytes);
        if (!parsed.ok) {
          unreadable++;
          this.lastError = `${jvm.path}: ${parsed.error}`;
          continue;
        }
        readings.push({ containerId: container.id, reading: jvmReading(parsed.counters) });
      }
    }
    this.locator.retain(live);
    this.readings = readings;
    this.unreadable = unreadable;
  }

  status(): JvmStatus {
    return { jvms: this.readings.length, unreadable: this.unreadable, lastError: this.lastError };
  }

  /** The last interval's readings as Coroot's families (two JVMs of one name in one container add up). */
  families(labelsOf: (containerId: string) => Readonly<Record<string, string>>): MetricFamily[] {
    const info = new Map<string, Sample>();
    const heapSize = new Sums();
    const heapUsed = new Sums();
    const gc = new Sums();
    const safepoint = new Sums();
    const safepointSync = new Sums();
    for (const { containerId, reading } of this.readings) {
      const labels = { ...labelsOf(containerId), jvm: reading.jvm };
      const infoLabels = { ...labels, java_version: reading.javaVersion };
      info.set(JSON.stringify(infoLabels), { labels: infoLabels, value: 1 });
      heapSize.add(labels, reading.heapSizeBytes);
      heapUsed.add(labels, reading.heapUsedBytes);
      for (const [name, seconds] of reading.gcSeconds) gc.add({ ...labels, gc: name }, seconds);
      safepoint.add(labels, reading.safepointSeconds);
      safepointSync.add(labels, reading.safepointSyncSeconds);
    }
    return [
      {
        name: 'container_jvm_info',
        type: 'gauge',
        help: 'Meta information about the JVM',
        samples: [...info.values()],
      },
      {
        name: 'container_jvm_heap_size_bytes',
        type: 'gauge',
        help: 'Total heap size in bytes',
        samples: heapSize.samples(),
      },
      {
        name: 'container_jvm_heap_used_bytes',
        type: 'gauge',
        help: 'Used heap size in bytes',
        samples: heapUsed.samples(),
      },
      {
        name: 'container_jvm_gc_time_seconds',
        type: 'counter',
        help: 'Time spent in the given JVM garbage collector in seconds',
        samples: gc.samples(),
      },
      {
        name: 'container_jvm_safepoint_time_seconds',
        type: 'counter',
        help: 'Time the application has been stopped for safepoint operations in seconds',
        samples: safepoint.samples(),
      },
      {
        name: 'container_jvm_safepoint_sync_time_seconds',
        type: 'counter',
        help: 'Time spent getting to safepoints in seconds',
        samples: safepointSync.samples(),
      },
    ];
  }
}

/** Sums of values by label set. */
class Sums {
  private readonly byKey = new Map<string, { labels: Readonly<Record<string, string>>; value: number }>();

  add(labels: Readonly<Record<string, string>>, value: number): void {
    const key = JSON.stringify(labels);
    const entry = this.byKey.get(key);
    if (entry === undefined) this.byKey.set(key, { labels, value });
    else entry.value += value;
  }

  samples(): Sample[] {
    return [...this.byKey.values()].map(({ labels, value }) => ({ labels, value }));
  }
}

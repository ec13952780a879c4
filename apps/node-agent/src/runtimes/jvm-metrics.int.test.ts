/**
 * JVM metrics from the hsperfdata file of a real JVM (the machine's `java`): a small program
 * compiled here allocates and calls System.gc() in a loop; a second one runs with
 * -XX:-UsePerfData and must report nothing.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { makeTempDir, serviceGate } from '@vigil/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricFamily } from '@vigil/agent-kit';
import { JvmMetrics } from './jvm-metrics.ts';

function javaInstalled(): boolean {
  try {
    execFileSync('javac', ['-version'], { stdio: 'ignore' });
    execFileSync('java', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const runnable = serviceGate('a JDK (java and javac)', javaInstalled(), 'install openjdk-17-jdk-headless');

const PROGRAM = `
public class GcLoop {
  public static void main(String[] args) throws Exception {
    java.util.List<byte[]> keep = new java.util.ArrayList<>();
    System.out.println("ready");
    while (true) {
      keep.add(new byte[1 << 20]);
      if (keep.size() > 16) keep.clear();
      System.gc();
      Thread.sleep(50);
    }
  }
}
`;

const labelsOf = (id: string): Record<string, string> => ({ container_id: id, app_id: `app-of-${id}` });

let temp: { dir: string; cleanup: () => void };
const children: ChildProcess[] = [];

function startJava(...flags: string[]): Promise<ChildProcess> {
  const child = spawn('java', [...flags, '-cp', temp.dir, 'GcLoop'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`java exited with ${code}`)));
  });
}

/** Collects until `check` holds for the families (or fails after timeoutMs). */
async function collectUntil(
  metrics: JvmMetrics,
  containers: { id: string; pids: number[] }[],
  check: (families: MetricFamily[]) => boolean,
  timeoutMs = 15_000,
): Promise<MetricFamily[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await metrics.collect(containers);
    const families = metrics.families(labelsOf);
    if (check(families)) return families;
    if (Date.now() > deadline)
      throw new Error(`condition not met; status ${JSON.stringify(metrics.status())}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const valueOf = (families: MetricFamily[], name: string): number[] =>
  families.find((f) => f.name === name)?.samples.map((s) => s.value) ?? [];
const total = (families: MetricFamily[], name: string): number =>
  valueOf(families, name).reduce((a, b) => a + b, 0);

describe.runIf(runnable)('JvmMetrics with a real JVM', () => {
  beforeAll(() => {
    temp = makeTempDir('vigil-jvm-');
    writeFileSync(`${temp.dir}/GcLoop.java`, PROGRAM);
    execFileSync('javac', ['-d', temp.dir, `${temp.dir}/GcLoop.java`]);
  }, 60_000);

  afterAll(async () => {
    // SIGTERM, not SIGKILL: a JVM removes its hsperfdata file only on a normal exit.
    await Promise.all(
      children
        .filter((child) => child.exitCode === null && child.signalCode === null)
        .map((child) => new Promise((r) => child.once('exit', r).kill('SIGTERM'))),
    );
    temp?.cleanup();
  });

  it('reports heap, GC time growing after System.gc(), and safepoints of the running JVM', async () => {
    const java = await startJava();
    const metrics = new JvmMetrics();
    const containers = [{ id: '/test/jvm', pids: [process.pid, java.pid!] }];
    // A JVM fills its counters in the first moments after it creates the file: wait for them.
    const first = await collectUntil(
      metrics,
      containers,
      (f) =>
        valueOf(f, 'container_jvm_info').length === 1 &&
        total(f, 'container_jvm_heap_used_bytes') > 0 &&
        (f.find((x) => x.name === 'container_jvm_info')?.samples[0]?.labels.java_version ?? '') !== '',
    );

    const info = first.find((f) => f.name === 'container_jvm_info')!.samples[0]!;
    expect(info.labels).toEqual({
      container_id: '/test/jvm',
      app_id: 'app-of-/test/jvm',
      jvm: 'GcLoop',
      java_version: expect.stringMatching(/^\d+(\.\d+)*/) as string,
    });
    const heapUsed = total(first, 'container_jvm_heap_used_bytes');
    const heapSize = total(first, 'container_jvm_heap_size_bytes');
    expect(heapUsed).toBeGreaterThan(0);
    expect(heapUsed).toBeLessThanOrEqual(heapSize);
    expect(total(first, 'container_jvm_safepoint_time_seconds')).toBeGreaterThanOrEqual(0);
    expect(total(first, 'container_jvm_safepoint_sync_time_seconds')).toBeGreaterThanOrEqual(0);
    const gcLabels = first
      .find((f) => f.name === 'container_jvm_gc_time_seconds')!
      .samples.map((s) => s.labels.gc);
    expect(gcLabels).toContain('G1 full collection pauses'); // System.gc() under G1, Java 17's default

    const gcBefore = total(first, 'container_jvm_gc_time_seconds');
    const safepointBefore = total(first, 'container_jvm_safepoint_time_seconds');
    const later = await collectUntil(
      metrics,
      containers,
      (f) => total(f, 'container_jvm_gc_time_seconds') > gcBefore,
    );
    expect(total(later, 'container_jvm_safepoint_time_seconds')).toBeGreaterThan(safepointBefore);
    expect(metrics.status()).toMatchObject({ jvms: 1, unreadable: 0 });
  }, 60_000);

  it('reports nothing for a JVM started with -XX:-UsePerfData, and forgets a JVM that exited', async () => {
    const quiet = await startJava('-XX:-UsePerfData');
    const metrics = new JvmMetrics();
    await metrics.collect([{ id: '/test/quiet', pids: [quiet.pid!] }]);
    expect(metrics.families(labelsOf).every((f) => f.samples.length === 0)).toBe(true);
    expect(metrics.status().jvms).toBe(0);

    const loud = await startJava();
    const containers = [{ id: '/test/loud', pids: [loud.pid!] }];
    await collectUntil(metrics, containers, (f) => valueOf(f, 'container_jvm_info').length === 1);
    const exited = new Promise((r) => loud.once('exit', r));
    loud.kill('SIGTERM'); // the JVM removes its file on a normal exit
    await exited;
    await metrics.collect(containers);
    expect(metrics.status().jvms).toBe(0);
  }, 60_000);
});

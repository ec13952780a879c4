/**
 * What bench/model.ts measures with, shared by its in-memory and server runs: the 1 h grid at the
 * cache step, the audit as the server's AuditService runs it, charts drawn as application pages
 * would, and heap / RSS / GC figures around a stage.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import v8 from 'node:v8';
import {
  auditApplication,
  DEFAULT_SLO_CONFIG,
  detectDeployments,
  sloReport,
  Thresholds,
  type Deployment,
  type Report,
} from '@vigil/audit';
import { gridFor, type Application, type TimeGrid, type World } from '@vigil/model';

export const STEP_MS = 15_000;
export const HOUR_MS = 3_600_000;

export const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
export const r1 = (x: number) => Math.round(x * 10) / 10;
export const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? NaN
    : s.length % 2
      ? s[(s.length - 1) / 2]!
      : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
export const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
/** A full GC whose freed ArrayBuffers are swept too (one gc() leaves their memory counted). */
export async function settle(): Promise<void> {
  gc();
  await new Promise((r) => setImmediate(r));
  gc();
}

/** Peak resident set since the last reset (Linux VmHWM), bytes. */
export function peakRss(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : process.memoryUsage().rss;
}
export function resetPeakRss(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // not Linux, or not allowed: the peak then counts from the process start
  }
}

export interface HeapPeak {
  /** Largest V8 heap in use, bytes (before a GC or at the end). */
  heap: number;
  /** Largest heap + external (the typed arrays' buffers), bytes. */
  heapAndExternal: number;
  gcs: number;
  gcMs: number;
}

/** Runs `fn`, watching the heap through V8's GC callbacks. */
export async function watched<T>(
  fn: () => Promise<T> | T,
): Promise<{ ms: number; value: T; peak: HeapPeak }> {
  const profiler = new v8.GCProfiler();
  profiler.start();
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  const stats = profiler.stop()?.statistics ?? [];
  const end = v8.getHeapStatistics();
  const peak: HeapPeak = {
    heap: end.used_heap_size,
    heapAndExternal: end.used_heap_size + end.external_memory,
    gcs: stats.length,
    gcMs: stats.reduce((n, s) => n + s.cost / 1000, 0),
  };
  for (const s of stats) {
    const h = s.beforeGC.heapStatistics;
    peak.heap = Math.max(peak.heap, h.usedHeapSize);
    peak.heapAndExternal = Math.max(peak.heapAndExternal, h.usedHeapSize + h.externalMemory);
  }
  return { ms, value, peak };
}

export interface AppAudit {
  readonly app: Application;
  readonly reports: readonly Report[];
  readonly deployments: readonly Deployment[];
}

/** What AuditService.#audit does, minus the settings look-ups (defaults everywhere). */
/** Every chart of every report drawn, as the application pages would: points made, counted. */
export function drawCharts(audits: Map<string, AppAudit>): number {
  let points = 0;
  for (const a of audits.values())
    for (const r of a.reports)
      for (const c of r.charts) for (const l of c.lines) points += l.data.values.length;
  return points;
}

export function auditAll(world: World): Map<string, AppAudit> {
  const out = new Map<string, AppAudit>();
  for (const app of world.applications) {
    const thresholds = new Thresholds({}, {});
    const slo = sloReport(app, DEFAULT_SLO_CONFIG, world.grid);
    const deployments = detectDeployments(app, world.grid);
    out.set(app.id, {
      app,
      deployments,
      reports: auditApplication(world, app, { thresholds, slo, deployments }),
    });
  }
  return out;
}

export function gridNow(): TimeGrid {
  const end = Math.floor(Date.now() / STEP_MS) * STEP_MS - STEP_MS;
  return gridFor(end - HOUR_MS, end, STEP_MS);
}

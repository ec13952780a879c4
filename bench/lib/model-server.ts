/**
 * bench/model.ts's server path: a real server (embedded chDB) fed the synthetic cluster's raw
 * samples by remote write, the cache back-fill awaited, then the overview requested cold,
 * repeated and over a shifted range. See bench/model.ts for what is reported.
 */
import { modelReads, PrebuiltSource } from './model-cluster-reads.ts';
import { buildCluster, rawSeries } from './model-cluster.ts';
import {
  auditAll,
  gridNow,
  HOUR_MS,
  median,
  peakRss,
  resetPeakRss,
  settle,
  STEP_MS,
  watched,
} from './model-measure.ts';
import { buildWorld } from '@vigil/model';

export interface ServerResult {
  apps: number;
  series: number;
  samples: number;
  writeSeconds: number;
  backfillSeconds: number;
  rows: number;
  incomplete: string[];
  coldMs: number;
  repeatedMs: number[];
  rebuiltMs: number[];
  rssBefore: number;
  peakRssCold: number;
  peakRssRebuilt: number;
  inMemoryMs: { build: number; audit: number };
  /** The cold request in CLOCK_MONOTONIC µs, to cut a --cpu-prof profile (bench/lib/cpu-profile.ts). */
  coldWindowUs?: [number, number];
  error?: string;
}

export async function runServer(apps: number): Promise<ServerResult> {
  const { startTestServer } = await import('../../apps/server/src/testing/test-server.ts');
  const { remoteWrite } = await import('../../apps/server/src/testing/remote-write.ts');
  const cluster = buildCluster(apps);
  const grid = gridNow();
  const endMs = grid.fromMs + (grid.points - 1) * STEP_MS;
  const lead = 20; // five minutes before the window, so the first points' rate() has samples
  const window = {
    fromMs: grid.fromMs - lead * STEP_MS,
    stepMs: STEP_MS,
    points: grid.points + lead,
    gridPoints: grid.points,
  };

  // The same cluster in memory, for comparison with the server's figure.
  const source = new PrebuiltSource(modelReads(cluster, grid));
  const mem = { build: [] as number[], audit: [] as number[] };
  for (let i = 0; i < 4; i++) {
    const b = await watched(() => buildWorld(source, grid));
    const a = await watched(() => auditAll(b.value));
    if (i > 0) {
      mem.build.push(b.ms);
      mem.audit.push(a.ms);
    }
  }
  await settle();

  const vigil = await startTestServer({
    VIGIL_CACHE_STEP: '15s',
    VIGIL_CACHE_BACKFILL: '2h',
    VIGIL_CACHE_REFRESH: '5s',
  });
  const result: ServerResult = {
    apps,
    series: 0,
    samples: 0,
    writeSeconds: 0,
    backfillSeconds: 0,
    rows: 0,
    incomplete: [],
    coldMs: NaN,
    repeatedMs: [],
    rebuiltMs: [],
    rssBefore: 0,
    peakRssCold: 0,
    peakRssRebuilt: 0,
    inMemoryMs: { build: median(mem.build), audit: median(mem.audit) },
  };
  try {
    let t0 = performance.now();
    for (let from = 0; from < apps; from += 2) {
      const batch = rawSeries(cluster, from, Math.min(apps, from + 2), window);
      for (let i = 0; i < batch.length; i += 250) {
        const chunk = batch.slice(i, i + 250);
        const res = await remoteWrite(vigil, chunk);
        if (res.status !== 204) throw new Error(`remote write: ${res.status} ${await res.text()}`);
        result.series += chunk.length;
        for (const s of chunk) result.samples += s.values.length;
      }
    }
    await vigil.server.forceFlush();
    result.writeSeconds = (performance.now() - t0) / 1000;
    t0 = performance.now();
    interface Status {
      backfillPending: number;
      queries: Array<{ cachedThroughMs: number | null; lastError: string | null }>;
    }
    for (;;) {
      const s = (await vigil.getJson<Status>('/api/v1/cache/status')).body;
      if (
        s.backfillPending === 0 &&
        s.queries.every((q) => q.cachedThroughMs !== null && q.cachedThroughMs >= endMs)
      )
        break;
      if (performance.now() - t0 > 420_000) throw new Error('the cache back-fill took more than 7 minutes');
      await new Promise((r) => setTimeout(r, 500));
    }
    result.backfillSeconds = (performance.now() - t0) / 1000;
    const get = async (shift: number) => {
      const to = endMs - shift * STEP_MS;
      const t = performance.now();
      const res = await vigil.getJson<{ applications: unknown[]; incomplete: string[] }>(
        `/api/v1/overview/applications?from=${to - HOUR_MS}&to=${to}`,
      );
      const ms = performance.now() - t;
      if (res.status !== 200)
        throw new Error(`overview: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      return { ms, body: res.body };
    };
    await settle();
    result.rssBefore = process.memoryUsage().rss;
    resetPeakRss();
    const c0 = process.hrtime.bigint();
    const cold = await get(0);
    result.coldWindowUs = [Number(c0 / 1000n), Number(process.hrtime.bigint() / 1000n)];
    result.peakRssCold = peakRss();
    result.coldMs = cold.ms;
    result.rows = cold.body.applications.length;
    result.incomplete = cold.body.incomplete;
    for (let i = 0; i < 2; i++) result.repeatedMs.push((await get(0)).ms);
    resetPeakRss();
    for (let i = 1; i <= 2; i++) result.rebuiltMs.push((await get(i)).ms);
    result.peakRssRebuilt = peakRss();
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
  } finally {
    await vigil.stop();
  }
  return result;
}

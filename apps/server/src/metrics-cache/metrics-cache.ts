/**
 * One project's metrics cache: the registry's queries, kept fresh by a {@link Refresher}, read
 * back by id.
 *
 * Reading never falls back to the metrics backend. What is not cached is reported in `missing`
 * and left out of the result; the caller (the model) decides whether to wait, show a gap or ask
 * the backend itself. Reasons: the cache exists so that the model and UI keep working when the
 * backend is slow or down, and a silent fallback would turn every read of an uncached range
 * into a backend query that can hang for the query timeout, exactly when the backend is the
 * problem; and the model should see the data it gets is partial, not a mix of two sources
 * with different freshness.
 */
import { AppError } from '@vigil/core';
import { compareLabels, type ResultSeries } from '@vigil/promql';
import type { CacheStore, CachedSeries } from './cache-store.ts';
import type { QueryRegistry } from './query-registry.ts';
import { expandQuery, rangeWindowMs } from './query-registry.ts';
import { settleMs } from './chunk-plan.ts';
import type { Refresher, StepSource } from './refresher.ts';
import type { ChunkRecord } from './write-batch.ts';

/** An inclusive range of evaluation times. */
export interface TimeRange {
  readonly startMs: number;
  readonly endMs: number;
}

export interface CacheRead {
  /** What the backend answers for the query's text and this step, limited to cached times. */
  readonly result: { readonly resultType: 'matrix'; readonly result: ResultSeries[] };
  /** Evaluation times (`startMs + k * stepMs`) not in the cache, as runs; empty when complete. */
  readonly missing: TimeRange[];
}

export interface CachedQueryStatus {
  readonly id: string;
  readonly key: string;
  /** The PromQL evaluated at the current step. */
  readonly query: string;
  readonly stepMs: number;
  /** Newest evaluated time; null before the first refresh. */
  readonly cachedThroughMs: number | null;
  /** now − cachedThroughMs. */
  readonly lagMs: number | null;
  readonly lastError: string | null;
  readonly lastErrorAtMs: number | null;
  readonly chunks: number;
  readonly points: number;
}

export interface CacheStatus {
  readonly project: string;
  readonly stepMs: number;
  readonly stepSource: StepSource;
  readonly refreshMs: number;
  readonly backfillMs: number;
  /** The last refresh: when, how long, points written, range queries run. */
  readonly lastRefresh: { startedAtMs: number; durationMs: number; points: number; queries: number } | null;
  /** Back-fill range queries still due (all queries); 0 once the window is filled. */
  readonly backfillPending: number;
  readonly queries: CachedQueryStatus[];
}

const MAX_POINTS_PER_SERIES = 11_000;
/** How long an accepted write may take to reach storage (ingest buffer delay + insert). */
const LATE_WRITE_LAND_MS = 5_000;
/** PromQL's instant-selector lookback: a sample counts for this long after its time. */
const LOOKBACK_MS = 300_000;

/** Whether a chunk holds evaluation time `t`. */
function covers(c: ChunkRecord, t: number): boolean {
  return t >= c.fromMs && t <= c.throughMs && (t - c.startMs) % c.stepMs === 0;
}

export class MetricsCache {
  constructor(
    readonly project: string,
    readonly registry: QueryRegistry,
    private readonly store: CacheStore,
    private readonly refresher: Refresher,
    private readonly backfillMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Starts the refresh loop (after loading what is on disk). */
  start(): Promise<void> {
    return this.refresher.start();
  }

  /** Stops the loop and closes the cache database; waits for a round's insert in flight. */
  async shutdown(): Promise<void> {
    await this.refresher.shutdown();
    await this.store.close();
  }

  /**
   * Samples in [minMs, maxMs] were just accepted. When they fall behind what the cache already
   * settled, the times they affect (up to a range window and the lookback later) are evaluated
   * again once the write has had `landMs` to reach storage.
   */
  noteWrite(minMs: number, maxMs: number, landMs = LATE_WRITE_LAND_MS): void {
    const now = this.clock();
    if (!(minMs < now - settleMs(this.stepMs) - this.stepMs)) return;
    const reachMs = Math.max(rangeWindowMs(this.stepMs), LOOKBACK_MS);
    this.refresher.invalidate(minMs, maxMs + reachMs, now + landMs);
  }

  /** The step reads must use: the step of the newest data (see {@link Refresher.stepMs}). */
  get stepMs(): number {
    return this.refresher.stepMs;
  }

  /**
   * The cached answer of a registry query as a range query over [startMs, endMs] at `stepMs`.
   * Times must fall on the cache's grid (`startMs` and `stepMs` multiples of the step the
   * points were evaluated at): the answer is then the backend's for the query at the cache
   * step, sampled at `stepMs`, never interpolated. A read whose times are all off the grid is
   * refused (`bad_request`) instead of being answered with nothing but gaps.
   */
  async read(
    queryId: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    signal?: AbortSignal,
  ): Promise<CacheRead> {
    const { series, covered, missing } = await this.#readCovered(queryId, startMs, endMs, stepMs, signal);
    const result: ResultSeries[] = [];
    for (const s of series) {
      const timestampsMs: number[] = [];
      const values: number[] = [];
      for (let i = 0; i < s.timestampsMs.length; i++) {
        const t = s.timestampsMs[i]!;
        if (covered[(t - startMs) / stepMs] !== 1) continue;
        timestampsMs.push(t);
        values.push(s.values[i]!);
      }
      if (timestampsMs.length > 0) result.push({ metric: s.labels, timestampsMs, values });
    }
    result.sort((a, b) => compareLabels(a.metric, b.metric));
    return { result: { resultType: 'matrix', result }, missing };
  }

  /**
   * The same points as {@link read}, in the store's arrays and order (series unsorted): for the
   * model, which places points on its grid itself and reads every query of a window at once.
   */
  async readColumns(
    queryId: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    signal?: AbortSignal,
  ): Promise<{ series: CachedSeries[]; missing: TimeRange[] }> {
    const { series, covered, missing } = await this.#readCovered(queryId, startMs, endMs, stepMs, signal);
    if (missing.length === 0) return { series, missing };
    const out: CachedSeries[] = [];
    for (const s of series) {
      const keep: number[] = [];
      for (let i = 0; i < s.timestampsMs.length; i++)
        if (covered[(s.timestampsMs[i]! - startMs) / stepMs] === 1) keep.push(i);
      if (keep.length === s.timestampsMs.length) out.push(s);
      else if (keep.length > 0)
        out.push({
          labels: s.labels,
          timestampsMs: Float64Array.from(keep, (i) => s.timestampsMs[i]!),
          values: Float64Array.from(keep, (i) => s.values[i]!),
        });
    }
    return { series: out, missing };
  }

  /** The stored series over [startMs, endMs] and which evaluation times chunks cover. */
  async #readCovered(
    queryId: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    signal: AbortSignal | undefined,
  ): Promise<{ series: CachedSeries[]; covered: Uint8Array; missing: TimeRange[] }> {
    const q = this.registry.get(queryId);
    if (![startMs, endMs, stepMs].every(Number.isSafeInteger) || stepMs <= 0 || endMs < startMs) {
      throw new AppError(
        'bad_request',
        'start, end and step must be whole milliseconds, step > 0, end ≥ start',
      );
    }
    if ((endMs - startMs) / stepMs > MAX_POINTS_PER_SERIES) {
      throw new AppError(
        'bad_request',
        `more than ${MAX_POINTS_PER_SERIES} points per series; use a larger step`,
      );
    }
    const chunks = await this.store.chunksOverlapping(q.key, startMs, endMs);
    const n = Math.floor((endMs - startMs) / stepMs) + 1;
    const covered = new Uint8Array(n);
    const missing: TimeRange[] = [];
    for (let i = 0; i < n; i++) {
      const t = startMs + i * stepMs;
      if (chunks.some((c) => covers(c, t))) {
        covered[i] = 1;
        continue;
      }
      const last = missing[missing.length - 1];
      if (last && last.endMs === t - stepMs)
        missing[missing.length - 1] = { startMs: last.startMs, endMs: t };
      else missing.push({ startMs: t, endMs: t });
    }
    if (!covered.includes(1)) {
      if (startMs % this.stepMs !== 0 || stepMs % this.stepMs !== 0) this.#offGrid(startMs, stepMs);
      return { series: [], covered, missing };
    }
    return { series: await this.store.points(q.key, startMs, endMs, stepMs, signal), covered, missing };
  }

  async status(): Promise<CacheStatus> {
    const totals = await this.store.totals();
    const now = this.clock();
    const stepMs = this.refresher.stepMs;
    const queries = this.registry.all().map((q): CachedQueryStatus => {
      const rt = this.refresher.runtime(q.key);
      const stored = totals.get(q.key);
      const through = rt?.throughMs ?? stored?.throughMs;
      return {
        id: q.id,
        key: q.key,
        query: expandQuery(q.query, stepMs),
        stepMs,
        cachedThroughMs: through ?? null,
        lagMs: through === undefined ? null : now - through,
        lastError: rt?.lastError ?? null,
        lastErrorAtMs: rt?.lastError ? (rt.lastErrorAtMs ?? null) : null,
        chunks: stored?.chunks ?? 0,
        points: stored?.points ?? 0,
      };
    });
    return {
      project: this.project,
      stepMs,
      stepSource: this.refresher.stepSource,
      refreshMs: this.refresher.refreshMs,
      backfillMs: this.backfillMs,
      lastRefresh: this.refresher.lastRefresh ?? null,
      backfillPending: this.refresher.pendingBackfill(now),
      queries,
    };
  }

  /** Lag per query id from memory (self-metrics scrape); undefined before anything is cached. */
  lags(): Array<{ id: string; lagMs: number | undefined }> {
    const now = this.clock();
    return this.registry.all().map((q) => {
      const through = this.refresher.runtime(q.key)?.throughMs;
      return { id: q.id, lagMs: through === undefined ? undefined : now - through };
    });
  }

  #offGrid(startMs: number, stepMs: number): never {
    throw new AppError(
      'bad_request',
      `start ${startMs} and step ${stepMs} must be multiples of the cache step ${this.stepMs} ms`,
    );
  }
}

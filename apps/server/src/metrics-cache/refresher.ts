/**
 * The background loop of one project's cache. Every refresh (default: one step), aligned to the
 * step grid:
 *
 *   1. (re)detect the step from the data, at start and every 10 minutes, unless configured;
 *   2. plan every registry query (chunk-plan.ts) and run all *head* fetches (the unsettled end
 *      of the newest chunk plus the new points) as one round, written in one insert; a query's
 *      head is one range query, also across a chunk boundary, and takes the chunk before it
 *      along when that one is due (its sealing pass), since a query's cost is mostly fixed;
 *   3. back-fill older chunks, newest first, one chunk per query per round, while the refresh
 *      interval has time left (at least one round when there is back-fill to do);
 *   4. compact closed days of points once an hour (and start the written-points memo afresh).
 *
 * `shutdown` aborts queries in flight and waits for the round's insert to finish, so the
 * composition root can close storage right after it.
 */
import { errorMessage, type Logger } from '@vigil/core';
import { chunkMsFor, groupFetches, planFetches, type Fetch } from './chunk-plan.ts';
import type { CacheStore } from './cache-store.ts';
import type { CacheEvaluator } from './evaluator.ts';
import type { QueryRegistry, RegisteredQuery } from './query-registry.ts';
import { runRound, type RoundOutcome, type RoundTask } from './round.ts';
import { detectStepMs, FALLBACK_STEP_MS, stepCandidates } from './step-detection.ts';
import { SeriesMemo, type ChunkRecord } from './write-batch.ts';
import { WrittenPoints } from './written-points.ts';

export interface RefresherOptions {
  readonly projectId: string;
  readonly registry: QueryRegistry;
  readonly store: CacheStore;
  readonly evaluator: CacheEvaluator;
  readonly backfillMs: number;
  /** Configured step (VIGIL_CACHE_STEP); unset: detected from the data. */
  readonly stepMs?: number | undefined;
  /** Configured refresh interval (VIGIL_CACHE_REFRESH); unset: the step. */
  readonly refreshMs?: number | undefined;
  readonly clock?: () => number;
  readonly logger: Logger;
  /** Called after every refresh with its duration. */
  readonly onRefresh?: (durationMs: number) => void;
}

export type StepSource = 'configured' | 'detected' | 'fallback';

export interface QueryRuntime {
  readonly chunks: Map<string, ChunkRecord>;
  throughMs: number | undefined;
  lastError: string | undefined;
  lastErrorAtMs: number | undefined;
}

const REDETECT_MS = 600_000;
const RETRY_DETECT_MS = 60_000;
const COMPACT_EVERY_MS = 3_600_000;
/** Range queries in flight at once unless the evaluator says otherwise. */
const CONCURRENCY = 4;
/** Refreshes start this long after a grid time, so a sample scraped on the grid can be in. */
const ALIGN_DELAY_MS = 250;
/**
 * Most of the wall time the loop spends refreshing: after a refresh of d ms it waits at least
 * d ms. A cache that cannot keep up (far more series than the machine can evaluate every step)
 * falls behind, which its lag shows, instead of refreshing back to back and starving ingestion
 * (measured: with 1M series, bench/remote-write's ingest cost went from 10 to 135 CPU-s per
 * million samples with the loop running flat out).
 */
const MAX_BUSY_SHARE = 0.5;
const SLOW_WARNING_EVERY_MS = 600_000;

const chunkId = (c: { startMs: number; stepMs: number }) => `${c.startMs}/${c.stepMs}`;

export class Refresher {
  readonly #o: RefresherOptions;
  readonly #clock: () => number;
  readonly #memo = new SeriesMemo();
  readonly #written = new WrittenPoints();
  readonly #runtime = new Map<string, QueryRuntime>();
  readonly #abort = new AbortController();
  #step: { ms: number; source: StepSource } | undefined;
  /** The step readers are answered at, see {@link stepMs}; undefined: the evaluation step. */
  #servedStepMs: number | undefined;
  #lastDetectMs = -Infinity;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #lastCompactMs = 0;
  #lastSlowWarningMs = -Infinity;
  /** Ranges whose samples changed after they were evaluated, re-evaluated from `dueMs` on. */
  #stale: Array<{ fromMs: number; toMs: number; dueMs: number }> = [];
  lastRefresh: { startedAtMs: number; durationMs: number; points: number; queries: number } | undefined;

  constructor(options: RefresherOptions) {
    this.#o = options;
    this.#clock = options.clock ?? Date.now;
    if (options.stepMs !== undefined) this.#step = { ms: options.stepMs, source: 'configured' };
  }

  /** The step the cache evaluates at (configured, detected or the fallback). */
  get evaluationStepMs(): number {
    return this.#step?.ms ?? FALLBACK_STEP_MS;
  }

  /**
   * The step readers are answered at: the step of the newest head round stored. When the step
   * changes (detected 2 s after a minute at the 15 s fallback), the cache holds nothing at the
   * new step until the first head round at it is stored, which on a loaded machine took 5-20 s
   * (a whole chunk of every query). Readers that switched at once got only the old points that
   * fall on the new grid (one in fifteen from 15 s to 2 s), all the rest reported missing: the
   * model saw an edge's rate as one point in thirty, or no edge at all. So readers keep the old
   * step and its points, a little behind, until the new step has data.
   */
  get stepMs(): number {
    return this.#servedStepMs ?? this.evaluationStepMs;
  }

  /** How the evaluation step was chosen. */
  get stepSource(): StepSource {
    return this.#step?.source ?? 'fallback';
  }

  get refreshMs(): number {
    return this.#o.refreshMs ?? this.evaluationStepMs;
  }

  runtime(queryKey: string): QueryRuntime | undefined {
    return this.#runtime.get(queryKey);
  }

  /** Loads what the cache holds, then starts the loop (without waiting for a refresh). */
  async start(): Promise<void> {
    await this.load();
    this.#loop = this.#run();
  }

  /** Loads the chunk states of the back-fill window and each query's newest evaluated time. */
  async load(): Promise<void> {
    const now = this.#clock();
    const loaded = await this.#o.store.loadChunks(
      now - this.#o.backfillMs - 2 * chunkMsFor(FALLBACK_STEP_MS),
    );
    const totals = await this.#o.store.totals();
    let newest: ChunkRecord | undefined;
    for (const [key, chunks] of loaded) {
      const rt = this.#rt(key);
      for (const c of chunks) {
        rt.chunks.set(chunkId(c), c);
        if (!newest || c.throughMs > newest.throughMs) newest = c;
      }
    }
    // Until the first refresh stores something: the step of what is on disk.
    this.#servedStepMs = newest?.stepMs;
    for (const [key, t] of totals) this.#rt(key).throughMs = t.throughMs;
  }

  async shutdown(): Promise<void> {
    this.#abort.abort(new Error('metrics cache stopping'));
    this.#wake?.();
    await this.#loop;
  }

  /**
   * Samples in [fromMs, toMs] arrived after the cache evaluated those times (an agent replaying
   * its spool after an outage, history loaded after the fact): from `dueMs` on — once the write
   * has reached storage — every chunk of every query overlapping the range is dropped from the
   * cache's records, so the planner fetches it again like back-fill. Until then (and while those
   * fetches run) `pendingBackfill` counts them.
   */
  invalidate(fromMs: number, toMs: number, dueMs: number): void {
    if (!(fromMs <= toMs)) return;
    this.#stale.push({ fromMs, toMs, dueMs });
    this.#wake?.();
  }

  /** Drops the chunk records of the stale ranges that are due. */
  #dropStale(nowMs: number): void {
    if (this.#stale.length === 0) return;
    const due = this.#stale.filter((r) => r.dueMs <= nowMs);
    this.#stale = this.#stale.filter((r) => r.dueMs > nowMs);
    for (const r of due)
      for (const rt of this.#runtime.values())
        for (const [id, c] of rt.chunks)
          if (c.fromMs <= r.toMs && c.throughMs >= r.fromMs) rt.chunks.delete(id);
  }

  /** Back-fill fetches due now (chunks missing or not sealed behind the head), all queries. */
  pendingBackfill(nowMs = this.#clock()): number {
    let n = 0;
    for (const q of this.#o.registry.all()) {
      const chunks = [...this.#rt(q.key).chunks.values()];
      n += planFetches(chunks, {
        nowMs,
        stepMs: this.evaluationStepMs,
        backfillMs: this.#o.backfillMs,
      }).filter((f) => !f.head).length;
    }
    return n + this.#stale.length;
  }

  /** One refresh (the loop calls it; tests and the benchmark call it directly). */
  async refreshOnce(): Promise<void> {
    const startedAtMs = this.#clock();
    await this.#maybeDetectStep(startedAtMs);
    this.#dropStale(startedAtMs);
    const stepMs = this.evaluationStepMs;
    const queries = this.#o.registry.all();
    const plans = queries.map((query) => ({
      query,
      ...groupFetches(
        planFetches([...this.#rt(query.key).chunks.values()], {
          nowMs: startedAtMs,
          stepMs,
          backfillMs: this.#o.backfillMs,
        }),
      ),
    }));
    let points = 0;
    let ran = 0;
    const heads = plans.flatMap((p) => p.head.map((run) => this.#task(p.query, run)));
    const headOutcome = await this.#round(heads);
    points += headOutcome?.points ?? 0;
    ran += heads.length;
    // The head at this step is stored: readers may move to it (see `stepMs`).
    if (headOutcome && headOutcome.updated.length > 0) this.#servedStepMs = stepMs;

    const budgetMs = this.refreshMs / 2;
    for (let i = 0; !this.#abort.signal.aborted; i++) {
      const tasks = plans.flatMap((p) => (p.backfill[i] ? [this.#task(p.query, [p.backfill[i]!])] : []));
      if (tasks.length === 0) break;
      const elapsedMs = this.#clock() - startedAtMs;
      if (i > 0 ? elapsedMs > budgetMs : elapsedMs > this.refreshMs * 0.8) break;
      points += (await this.#round(tasks))?.points ?? 0;
      ran += tasks.length;
    }
    this.#prune(startedAtMs, stepMs);
    await this.#maybeCompact(startedAtMs);
    const durationMs = this.#clock() - startedAtMs;
    this.lastRefresh = { startedAtMs, durationMs, points, queries: ran };
    this.#o.onRefresh?.(durationMs);
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      const started = this.#clock();
      try {
        await this.refreshOnce();
      } catch (err) {
        if (signal.aborted) break;
        this.#o.logger.warn({ err: errorMessage(err) }, 'metrics cache refresh failed');
      }
      await this.#sleep(Math.max(0, this.#nextStartMs(started, this.#clock()) - this.#clock()));
    }
  }

  /** The next grid time (+ the alignment delay) that keeps refreshing within its share. */
  #nextStartMs(startedMs: number, endedMs: number): number {
    const refresh = this.refreshMs;
    const durationMs = endedMs - startedMs;
    const earliest = endedMs + durationMs * (1 / MAX_BUSY_SHARE - 1);
    const next = Math.floor(startedMs / refresh) * refresh + refresh + ALIGN_DELAY_MS;
    // Only a refresh longer than its share of the interval is held back; a short one that
    // started just before a grid time (the loop's first one) goes on at that grid time.
    if (next >= earliest || durationMs <= refresh * MAX_BUSY_SHARE) return next;
    if (endedMs - this.#lastSlowWarningMs >= SLOW_WARNING_EVERY_MS) {
      this.#lastSlowWarningMs = endedMs;
      this.#o.logger.warn(
        { durationMs, refreshMs: refresh },
        'metrics cache refresh takes longer than its share of the refresh interval: the cache falls behind',
      );
    }
    return Math.ceil((earliest - ALIGN_DELAY_MS) / refresh) * refresh + ALIGN_DELAY_MS;
  }

  #sleep(ms: number): Promise<void> {
    if (this.#abort.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  #rt(key: string): QueryRuntime {
    let rt = this.#runtime.get(key);
    if (!rt) {
      rt = { chunks: new Map(), throughMs: undefined, lastError: undefined, lastErrorAtMs: undefined };
      this.#runtime.set(key, rt);
    }
    return rt;
  }

  #task(query: RegisteredQuery, fetches: Fetch[]): RoundTask {
    const held = this.#rt(query.key).chunks;
    const chunks = fetches.map((f) => held.get(chunkId({ startMs: f.chunkStartMs, stepMs: f.stepMs })));
    return { query, fetches, chunks };
  }

  async #round(tasks: RoundTask[]): Promise<RoundOutcome | undefined> {
    if (tasks.length === 0) return undefined;
    const nowMs = this.#clock();
    let outcome: RoundOutcome;
    try {
      outcome = await runRound(tasks, {
        evaluator: this.#o.evaluator,
        db: this.#o.store.db,
        memo: this.#memo,
        written: this.#written,
        clock: this.#clock,
        concurrency: this.#o.evaluator.concurrency ?? CONCURRENCY,
        signal: this.#abort.signal,
      });
    } catch (err) {
      // The insert failed: nothing of the round is adopted, so it runs again next time.
      const error = `storing the results failed: ${errorMessage(err)}`;
      for (const t of tasks) Object.assign(this.#rt(t.query.key), { lastError: error, lastErrorAtMs: nowMs });
      this.#o.logger.warn({ err: errorMessage(err) }, 'metrics cache: could not store a round');
      return undefined;
    }
    for (const { query, chunk } of outcome.updated) {
      const rt = this.#rt(query.key);
      rt.chunks.set(chunkId(chunk), chunk);
      rt.throughMs = Math.max(rt.throughMs ?? chunk.throughMs, chunk.throughMs);
      rt.lastError = undefined;
    }
    for (const { query, error } of outcome.failed) {
      Object.assign(this.#rt(query.key), { lastError: error, lastErrorAtMs: nowMs });
    }
    if (outcome.failed.length > 0) {
      this.#o.logger.debug(
        { failed: outcome.failed.length, first: outcome.failed[0]?.error },
        'cache queries failed',
      );
    }
    return outcome;
  }

  async #maybeDetectStep(nowMs: number): Promise<void> {
    if (this.#step?.source === 'configured') return;
    // Detected: check again every 10 minutes. Not yet (no data): every minute.
    const every = this.#step ? REDETECT_MS : RETRY_DETECT_MS;
    if (nowMs - this.#lastDetectMs < every) return;
    this.#lastDetectMs = nowMs;
    const candidates = stepCandidates(this.#o.registry.all());
    const detected = await detectStepMs(
      this.#o.evaluator,
      candidates,
      nowMs,
      this.#o.logger,
      this.#abort.signal,
    );
    // No data now: keep the previous detection (or the fallback) rather than flapping.
    if (detected === undefined || detected === this.#step?.ms) return;
    this.#o.logger.info({ projectId: this.#o.projectId, stepMs: detected }, 'metrics cache step detected');
    this.#step = { ms: detected, source: 'detected' };
  }

  /** Forgets chunks older than the back-fill horizon: they are complete and never planned again. */
  #prune(nowMs: number, stepMs: number): void {
    const horizon = nowMs - this.#o.backfillMs - 2 * chunkMsFor(stepMs);
    for (const rt of this.#runtime.values()) {
      for (const [id, c] of rt.chunks) if (c.endMs < horizon) rt.chunks.delete(id);
    }
  }

  async #maybeCompact(nowMs: number): Promise<void> {
    if (nowMs - this.#lastCompactMs < COMPACT_EVERY_MS) return;
    this.#lastCompactMs = nowMs;
    // Also forget the points of series that went away (the next refresh writes its points anew).
    this.#written.clear();
    try {
      const merged = await this.#o.store.compact(nowMs);
      if (merged > 0) this.#o.logger.info({ partitions: merged }, 'metrics cache compacted');
    } catch (err) {
      this.#o.logger.warn({ err: errorMessage(err) }, 'metrics cache compaction failed');
    }
  }
}

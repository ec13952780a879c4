/**
 * Vigil's embedded metric store: Prometheus samples in ClickHouse (tables in schema.ts), written
 * by {@link MetricStore.insert} and read by the PromQL engine through {@link MetricStore.select}
 * and by the Prometheus HTTP API through the index queries. Design and measurements:
 * ./README.md.
 */
import { AppError, type Outcome } from '@vigil/core';
import type { Label, LabelMatcher, MetricMetadata, MetricSeries, SeriesRefs } from '@vigil/protocols';
import type { Database } from '../connection.ts';
import { insertOutcome } from '../filters.ts';
import {
  labelNames,
  labelValues,
  metricMetadata,
  seriesLabels,
  type IndexQueryOptions,
} from './label-queries.ts';
import { MetricWriter } from './metric-writer.ts';
import type { MetricsChunk } from './insert-plan.ts';
import {
  selectSeries,
  type SelectOptions,
  type SeriesLabelsCache,
  type StoredSeries,
} from './select-series.ts';
import { TwoGenerationMap } from './two-generation-map.ts';
import { loadRecent } from './head/load-recent.ts';
import { RecentSamples, type RecentSamplesOptions } from './head/recent-samples.ts';
import { selectRecent } from './head/select-recent.ts';
import { MatchCache, type MatchesAt } from './match-cache.ts';
import { wholeMsRange } from './time-bounds.ts';
import { selectWindows, type StoredWindows, type WindowQuery } from './select-windows.ts';
import { BUCKET_MS, RollupCoverage } from './rollups/coverage.ts';
import { RollupBuilder, type RollupBuilderOptions } from './rollups/rollup-builder.ts';
import { rollupAligned, selectRollupWindows } from './rollups/select-rollup-windows.ts';

export interface MetricStoreOptions {
  /**
   * Series whose `metrics_series` row this process remembers having written (default 250k,
   * ~300 bytes each). Beyond it, rarely seen series get their row written again: a cost, not
   * an error.
   */
  knownSeriesLimit?: number;
  /**
   * Label sets kept by series id for selects (default 100k, ~1 KB each with typical labels), so
   * a series read again hands out the same array (select-series.ts).
   */
  selectLabelsLimit?: number;
  /** Wall clock for metadata's UpdatedAt and for which rollup buckets are closed; default Date.now. */
  clock?: () => number;
  /**
   * Keep 5-minute rollups (rollups/README.md) and answer aligned window queries from them
   * (default true). The store only keeps track of them; `rollups.catchUp()` builds them.
   */
  rollups?: boolean;
  /** How long after a bucket's end it is built (default 2 min). */
  rollupGraceMs?: number;
  /** New buckets are built once this much time can be built at once (default 1 h). */
  rollupBatchMs?: number;
  /**
   * Keep the newest samples in memory and answer selects they cover from there (default: on,
   * 2 h, at most 8M samples; head/README.md). `false` turns it off.
   */
  recentSamples?: false | RecentSamplesOptions;
}

/**
 * Buckets newer than the built ones are computed from samples at read time; beyond this share
 * of the query's span (or 15 minutes, whichever is more) the engine reads samples instead.
 */
const MAX_UNBUILT_SHARE = 0.25;
const MAX_UNBUILT_MS = 15 * 60_000;

const DEFAULT_KNOWN_SERIES = 250_000;
/** A failed fill of the in-memory samples is tried again after this long. */
const RECENT_RETRY_MS = 60_000;
/** ~20 bytes each in memory: ~160 MB. */
const DEFAULT_RECENT_SAMPLES = 8_000_000;
const DEFAULT_SELECT_LABELS = 100_000;

export class MetricStore {
  readonly #db: Database;
  readonly #writer: MetricWriter;
  readonly #labels: SeriesLabelsCache;
  readonly #coverage = new RollupCoverage();
  readonly #recent: RecentSamples | undefined;
  #recentStarting: Promise<void> | undefined;
  readonly #matches = new MatchCache();
  /** Builds the 5-minute rollups; undefined when they are off. */
  readonly rollups: RollupBuilder | undefined;

  constructor(db: Database, options: MetricStoreOptions = {}) {
    this.#db = db;
    this.#labels = new TwoGenerationMap(options.selectLabelsLimit ?? DEFAULT_SELECT_LABELS);
    this.#writer = new MetricWriter(db, options.knownSeriesLimit ?? DEFAULT_KNOWN_SERIES, options.clock);
    if (options.recentSamples !== false) {
      this.#recent = new RecentSamples({
        maxSamples: DEFAULT_RECENT_SAMPLES,
        ...(options.clock ? { clock: options.clock } : {}),
        ...options.recentSamples,
      });
    }
    if (options.rollups !== false) {
      const builder: RollupBuilderOptions = {};
      if (options.clock) builder.clock = options.clock;
      if (options.rollupGraceMs !== undefined) builder.graceMs = options.rollupGraceMs;
      if (options.rollupBatchMs !== undefined) builder.batchMs = options.rollupBatchMs;
      this.rollups = new RollupBuilder(db, this.#coverage, builder);
    }
  }

  /**
   * Stores a batch. Samples are always written; a series row only when this process has not
   * written it yet (or its samples reached a new day); metadata only when it changed.
   * Staleness markers (`staleIndexes`) are stored as Prometheus's StaleNaN bits. Duplicates
   * and out-of-order samples are accepted (see {@link select} for which duplicate is read).
   * `retryable` when ClickHouse is unreachable or overloaded, `failed` when it refuses the data.
   */
  insert(series: readonly MetricSeries[], metadata: readonly MetricMetadata[] = []): Promise<Outcome> {
    return this.insertChunks([{ series }], metadata);
  }

  /**
   * What remote write decoders resolve known series with (`decodeRemoteWrite1(body, refs)`); the
   * `resolved` samples of the chunks given to {@link insertChunks} must come from these refs.
   */
  get seriesRefs(): SeriesRefs<unknown> {
    return this.#writer.seriesRefs as SeriesRefs<unknown>;
  }

  /** {@link insert} for chunks as the ingest path buffers them (one per request). */
  insertChunks(chunks: readonly MetricsChunk[], metadata: readonly MetricMetadata[] = []): Promise<Outcome> {
    // Planning and registering the write happen before the first await: a rollup build can
    // then not claim a bucket this batch writes to without this batch marking it dirty.
    return insertOutcome('insert metrics', async () => {
      const plan = this.#writer.plan(chunks);
      const rollups = this.rollups;
      const write =
        rollups === undefined ? undefined : this.#coverage.beginWrite(plan.samples.minMs, plan.samples.maxMs);
      try {
        if (write?.dirty) await rollups!.save();
        await this.#writer.write(plan, metadata);
      } catch (err) {
        this.#recent?.failed(plan);
        throw err;
      } finally {
        write?.done();
      }
      this.#recent?.add(plan);
    });
  }

  /**
   * Series matching every matcher, with their samples in [startMs, endMs] (both inclusive),
   * sorted by labels; series without samples in the range are left out. Of samples written
   * more than once for the same timestamp, the one written last is returned.
   */
  select(
    matchers: readonly LabelMatcher[],
    startMs: number,
    endMs: number,
    options?: SelectOptions,
  ): Promise<StoredSeries[]> {
    const recent = this.#recent;
    if (recent !== undefined) {
      this.#recentStarting ??= this.#startRecent(recent);
      const [start, end] = wholeMsRange(startMs, endMs);
      if (end >= start && recent.covers(start)) {
        return selectRecent(
          this.#db,
          recent,
          matchers,
          start,
          end,
          this.#labels,
          this.#matchesNow(),
          options ?? {},
        );
      }
    }
    return selectSeries(this.#db, matchers, startMs, endMs, this.#labels, options);
  }

  /** Samples held in memory, and the first time they cover (self-metrics, tests). */
  get recentState(): { samples: number; validFromMs: number; on: boolean } | undefined {
    const recent = this.#recent;
    return recent && { samples: recent.samples, validFromMs: recent.validFromMs, on: recent.on };
  }

  /** Resolves once the in-memory samples cover what they can (tests, benchmarks). */
  async recentReady(): Promise<void> {
    if (this.#recent === undefined) return;
    this.#recentStarting ??= this.#startRecent(this.#recent);
    await this.#recentStarting;
  }

  /**
   * Fills the head from ClickHouse: the samples of its window (the retention, less when the
   * series are many), so a restart keeps recent selects in memory. A failure leaves the head
   * off; a select a minute later tries again.
   */
  #startRecent(recent: RecentSamples): Promise<void> {
    return loadRecent(this.#db, recent).catch(async () => {
      // Tried again by a select a minute from now, not by every select meanwhile.
      await new Promise((resolve) => setTimeout(resolve, RECENT_RETRY_MS).unref());
      this.#recentStarting = undefined;
    });
  }

  /** Label names of the matching series seen in the range (day granularity), sorted. */
  labelNames(
    matchers: readonly LabelMatcher[],
    startMs: number,
    endMs: number,
    options?: IndexQueryOptions,
  ): Promise<string[]> {
    return labelNames(this.#db, matchers, startMs, endMs, options);
  }

  /** Values of one label among the matching series seen in the range, sorted. */
  labelValues(
    name: string,
    matchers: readonly LabelMatcher[],
    startMs: number,
    endMs: number,
    options?: IndexQueryOptions,
  ): Promise<string[]> {
    return labelValues(this.#db, name, matchers, startMs, endMs, options);
  }

  /** Label sets of the series matching any of the matcher sets (`match[]`), sorted. */
  series(
    matcherSets: readonly (readonly LabelMatcher[])[],
    startMs: number,
    endMs: number,
    options?: IndexQueryOptions,
  ): Promise<Label[][]> {
    return seriesLabels(this.#db, matcherSets, startMs, endMs, options);
  }

  /** Type, help and unit per metric family (latest write wins); one family when named. */
  metadata(metric?: string, options?: IndexQueryOptions): Promise<MetricMetadata[]> {
    return metricMetadata(this.#db, metric, options);
  }

  /**
   * Range-window summaries per series on a query grid, computed in SQL (select-windows.ts):
   * what the PromQL engine asks for instead of samples for `rate(x[5m])`, `max_over_time(…)`, ….
   */
  selectWindows(query: WindowQuery, options?: SelectOptions): Promise<StoredWindows[]> {
    if (this.rollups !== undefined && rollupAligned(query)) {
      return selectRollupWindows(
        this.#db,
        query,
        this.#coverage.state(),
        this.#labels,
        options,
        this.#matchesNow(),
      );
    }
    if (query.functions?.includes('instant')) {
      throw new AppError('internal', 'instant-vector windows need a grid aligned to 5 minutes', {
        expose: false,
      });
    }
    return selectWindows(this.#db, query, options);
  }

  /**
   * True when {@link selectWindows} answers `query` cheaply from the rollups: its grid is
   * aligned to 5 minutes, the buckets it needs are built and clean, and the part not built yet
   * is small. (Any aligned grid is answered exactly, the rest computed from samples; otherwise
   * reading samples is cheaper, docs/perf.md.)
   */
  rollupsServe(query: Pick<WindowQuery, 'firstEndMs' | 'stepMs' | 'steps' | 'rangeMs'>): boolean {
    if (this.rollups === undefined || !rollupAligned(query)) return false;
    const covered = this.#coverage.coveredUntil;
    if (covered === undefined) return false;
    const fromEnd = query.firstEndMs - query.rangeMs;
    const lastEnd = query.firstEndMs + (query.steps - 1) * query.stepMs;
    const unbuilt = lastEnd - Math.max(covered, fromEnd - BUCKET_MS);
    if (unbuilt > Math.max(MAX_UNBUILT_MS, MAX_UNBUILT_SHARE * (lastEnd - fromEnd))) return false;
    return this.#coverage.trusted(fromEnd, lastEnd);
  }

  /** Rollup bookkeeping for self-metrics and tests: built until, dirty ranges pending. */
  get rollupState(): { coveredUntil: number | undefined; dirtyRanges: number } {
    return { coveredUntil: this.#coverage.coveredUntil, dirtyRanges: this.#coverage.dirtyCount };
  }

  /** Series ids currently remembered as written (self-metrics, tests). */
  get knownSeries(): number {
    return this.#writer.knownSeries;
  }

  /** Forgets which series and metadata rows were written, so the next insert writes them again. */
  /** The match cache as valid now: for the series rows written so far. */
  #matchesNow(): MatchesAt {
    return { cache: this.#matches, generation: this.#writer.seriesWrites };
  }

  forgetKnownSeries(): void {
    this.#writer.forget();
  }
}

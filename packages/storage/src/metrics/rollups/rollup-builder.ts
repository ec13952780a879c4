/**
 * Builds the 5-minute rollups (./README.md): first the dirty ranges (buckets that got samples
 * after they were built), then, once an hour of them has closed, the buckets that closed since
 * the last build, in chunks sized so one INSERT … SELECT groups about
 * {@link MAX_ROWS_PER_BUILD} samples. What is built is saved in
 * `metrics_rollup_state` after every step, so a restart goes on where this one stopped; the
 * coverage bookkeeping (coverage.ts) keeps writes that race with a build from being lost.
 */
import type { Database } from '../../connection.ts';
import { sql } from '../../sql.ts';
import { SAMPLES_TABLE, SERIES_TABLE } from '../schema.ts';
import { BUCKET_COLUMNS, bucketRowsSql } from './bucket-sql.ts';
import { BUCKET_MS, bucketEndAtOrBefore, type BucketRange, type RollupCoverage } from './coverage.ts';
import { ROLLUP_STATE_TABLE, ROLLUP_TABLE } from './schema.ts';

/** Samples one build may group (memory: ~40 bytes each while grouping). */
const MAX_ROWS_PER_BUILD = 20_000_000;
/** Samples per series and bucket assumed when sizing a chunk (a 15 s scrape interval). */
const SAMPLES_PER_BUCKET = 20;
/** A bucket is built once this long has passed after its end (late scrapes, batching). */
const DEFAULT_GRACE_MS = 120_000;
/**
 * New buckets are built an hour at a time. A build reads every granule of the samples that
 * overlaps its time range, and a 1,024-row granule holds hours of one series (the table is
 * ordered by series, then time), so building an hour costs about what building five minutes
 * does (docs/perf.md: 1.5 against 1.35 CPU-s at 10k series). Queries compute the buckets not
 * built yet from samples.
 */
const DEFAULT_BATCH_MS = 3_600_000;

export interface RollupBuilderOptions {
  clock?: () => number;
  graceMs?: number;
  /** Build new buckets only once this much time can be built at once (default 1 h). */
  batchMs?: number;
}

export interface CatchUpResult {
  /** Buckets built for the first time, and dirty ones rebuilt. */
  built: number;
  rebuilt: number;
  /** True when no dirty range is left (new buckets may wait for a whole batch). */
  done: boolean;
}

export class RollupBuilder {
  readonly #db: Database;
  readonly #coverage: RollupCoverage;
  readonly #clock: () => number;
  readonly #graceMs: number;
  readonly #batchMs: number;
  #version = 0;
  #running: Promise<CatchUpResult> | undefined;
  #saving: Promise<void> = Promise.resolve();

  constructor(db: Database, coverage: RollupCoverage, options: RollupBuilderOptions = {}) {
    this.#db = db;
    this.#coverage = coverage;
    this.#clock = options.clock ?? Date.now;
    this.#graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    this.#batchMs = options.batchMs ?? DEFAULT_BATCH_MS;
  }

  /** Reads the saved state once (later calls return at once). */
  async load(): Promise<void> {
    if (this.#coverage.loaded) return;
    const rows = await this.#db.query<{ v: string; covered: string; dirty: string }>(sql`
      SELECT toString(Version) AS v, toString(CoveredUntil) AS covered, Dirty AS dirty
      FROM ${this.#db.table(ROLLUP_STATE_TABLE)} ORDER BY Version DESC LIMIT 1`);
    if (this.#coverage.loaded) return;
    const row = rows[0];
    this.#version = row ? Number(row.v) : 0;
    const covered = row ? Number(row.covered) : -1;
    const dirty = row ? (JSON.parse(row.dirty) as Array<[number, number]>) : [];
    const marked = this.#coverage.load({
      coveredUntil: covered >= 0 ? covered : undefined,
      dirty: dirty.map(([from, to]) => ({ from, to })),
    });
    if (marked) await this.save();
  }

  /** Saves the coverage as it is now; saves run one after another. */
  save(): Promise<void> {
    const state = this.#coverage.state();
    this.#version = Math.max(this.#version + 1, this.#clock() * 1000);
    const version = this.#version;
    const next = this.#saving
      .catch(() => undefined)
      .then(() =>
        this.#db.command(sql`
          INSERT INTO ${this.#db.table(ROLLUP_STATE_TABLE)} (Id, Version, CoveredUntil, Dirty)
          VALUES (1, ${sql.param(version, 'UInt64')}, ${sql.param(state.coveredUntil ?? -1, 'Int64')},
            ${JSON.stringify(state.dirty.map((r) => [r.from, r.to]))})`),
      );
    this.#saving = next;
    return next;
  }

  /**
   * Builds what can be built now, for at most `budgetMs` (a step already started finishes).
   * Concurrent calls share one run.
   */
  catchUp(options: { budgetMs?: number } = {}): Promise<CatchUpResult> {
    this.#running ??= this.#catchUp(options.budgetMs ?? Infinity).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #catchUp(budgetMs: number): Promise<CatchUpResult> {
    const deadline = performance.now() + budgetMs;
    await this.load();
    const result = { built: 0, rebuilt: 0, done: false };
    let chunk: number | undefined;
    const chunkBuckets = async () => (chunk ??= await this.#chunkBuckets());
    const dirty = this.#coverage.takeDirty();
    for (let i = 0; i < dirty.length; i++) {
      const range = dirty[i]!;
      if (performance.now() > deadline) {
        for (const r of dirty.slice(i)) this.#coverage.rebuildFailed(r);
        return result;
      }
      try {
        const step = (await chunkBuckets()) * BUCKET_MS;
        for (let from = range.from; from <= range.to; from += step) {
          await this.#build({ from, to: Math.min(range.to, from + step - BUCKET_MS) });
        }
      } catch (err) {
        for (const r of dirty.slice(i)) this.#coverage.rebuildFailed(r);
        throw err;
      }
      this.#coverage.rebuilt(range);
      result.rebuilt += (range.to - range.from) / BUCKET_MS + 1;
      await this.save();
    }
    if (this.#coverage.coveredUntil === undefined) {
      const start = this.#coverage.startFrom(await this.#oldestSampleMs());
      if (start === undefined) {
        result.done = true;
        return result;
      }
      this.#coverage.start(start);
      await this.save();
    }
    const wanted = bucketEndAtOrBefore(this.#clock() - this.#graceMs);
    if (wanted - this.#coverage.coveredUntil! >= this.#batchMs) {
      for (;;) {
        if (performance.now() > deadline) return result;
        const covered = this.#coverage.coveredUntil!;
        const claim = this.#coverage.claim(Math.min(wanted, covered + (await chunkBuckets()) * BUCKET_MS));
        if (claim === undefined) break;
        try {
          await this.#build(claim);
        } catch (err) {
          this.#coverage.release();
          throw err;
        }
        this.#coverage.advance(claim.to);
        result.built += (claim.to - claim.from) / BUCKET_MS + 1;
        await this.save();
      }
    }
    result.done = this.#coverage.dirtyCount === 0;
    return result;
  }

  /** Buckets per INSERT … SELECT, from the number of series. */
  async #chunkBuckets(): Promise<number> {
    const rows = await this.#db.query<{ n: string }>(
      sql`SELECT toString(count()) AS n FROM ${this.#db.table(SERIES_TABLE)}`,
    );
    const series = Math.max(1, Number(rows[0]?.n ?? 0));
    return Math.max(1, Math.min(288, Math.floor(MAX_ROWS_PER_BUILD / (series * SAMPLES_PER_BUCKET))));
  }

  async #oldestSampleMs(): Promise<number | undefined> {
    const rows = await this.#db.query<{ n: string; t: string }>(sql`
      SELECT toString(count()) AS n, toString(toUnixTimestamp64Milli(min(Timestamp))) AS t
      FROM ${this.#db.table(SAMPLES_TABLE)}`);
    return Number(rows[0]?.n ?? 0) > 0 ? Number(rows[0]!.t) : undefined;
  }

  async #build(range: BucketRange): Promise<void> {
    const columns = sql.join([...BUCKET_COLUMNS, 'Version'].map((c) => sql.identifier(c)));
    this.#version = Math.max(this.#version + 1, this.#clock() * 1000);
    // The metric name joins the series rows: it leads the rollup table's key.
    await this.#db.command(sql`
      INSERT INTO ${this.#db.table(ROLLUP_TABLE)} (MetricName, ${columns})
      SELECT n.MetricName, ${columns}
      FROM (${bucketRowsSql(this.#db, sql`1`, range.from, range.to, this.#version)}) AS b
      INNER JOIN (
        SELECT SeriesId, any(MetricName) AS MetricName FROM ${this.#db.table(SERIES_TABLE)} GROUP BY SeriesId
      ) AS n USING (SeriesId)`);
  }
}

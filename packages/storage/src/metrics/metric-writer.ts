/**
 * The insert side of the metric store: samples every time, series rows only for series this
 * process has not written (known-series.ts), metadata only when it changed. Native bodies on the
 * embedded engine, TSV to a remote server, as the span and log stores do.
 *
 * Order: series rows first, then samples. The cache learns a series only once its row is
 * stored, so a failed series insert is simply repeated with the retried batch; a failed sample
 * insert after stored series rows leaves nothing a retry cannot complete (duplicate samples
 * collapse, see schema.ts).
 */
import type { MetricMetadata, SeriesRefs } from '@vigil/protocols';
import type { Database } from '../connection.ts';
import { encodeMetadataNative, encodeSamplesNative, encodeSeriesNative } from './encode-native.ts';
import {
  encodeMetadataTsv,
  encodeSamplesTsv,
  encodeSeriesTsv,
  METADATA_TSV_COLUMNS,
  SAMPLE_TSV_COLUMNS,
  SERIES_TSV_COLUMNS,
} from './encode-tsv.ts';
import { planInsert, type InsertPlan, type MetricsChunk } from './insert-plan.ts';
import { dayOf, KnownSeriesIndex } from './known-series.ts';
import { METADATA_TABLE, SAMPLES_TABLE, SERIES_TABLE } from './schema.ts';

/** Metric families whose metadata this process wrote; more than this and it starts over. */
const METADATA_CACHE_LIMIT = 100_000;

export class MetricWriter {
  readonly #db: Database;
  readonly #known: KnownSeriesIndex;
  /** Family → `type \0 help \0 unit \0 day` last written. */
  readonly #metadata = new Map<string, string>();

  readonly #clock: () => number;

  constructor(db: Database, knownSeriesLimit: number, clock: () => number = Date.now) {
    this.#db = db;
    this.#known = new KnownSeriesIndex(knownSeriesLimit);
    this.#clock = clock;
  }

  #seriesWrites = 0;

  /** Counts the batches that wrote series rows: a change means matchers may select more series. */
  get seriesWrites(): number {
    return this.#seriesWrites;
  }

  /** Series ids held by the known-series cache (for self-metrics and tests). */
  get knownSeries(): number {
    return this.#known.size;
  }

  /** Forgets which series and metadata were written (tests; a database that was emptied). */
  forget(): void {
    this.#known.clear();
    this.#metadata.clear();
  }

  /** What decoders resolve known series with (the refs are this writer's index entries). */
  get seriesRefs(): SeriesRefs<number> {
    return this.#known;
  }

  /** The rows a batch becomes (synchronous: nothing is written yet). */
  plan(chunks: readonly MetricsChunk[]): InsertPlan {
    return planInsert(chunks, this.#known);
  }

  /** Writes a planned batch; throws what ClickHouse throws (the store maps it to an Outcome). */
  async write(plan: InsertPlan, metadata: readonly MetricMetadata[]): Promise<void> {
    const embedded = this.#db.mode === 'embedded';
    if (plan.seriesRows.length > 0) {
      if (embedded) {
        const block = encodeSeriesNative(plan.seriesRows);
        await this.#db.insertNative(SERIES_TABLE, block.columns, block.finish());
      } else {
        await this.#db.insertRaw(SERIES_TABLE, SERIES_TSV_COLUMNS, 'TSV', encodeSeriesTsv(plan.seriesRows));
      }
      plan.commit();
      this.#seriesWrites++;
    }
    if (plan.samples.count > 0) {
      if (embedded) {
        const block = encodeSamplesNative(plan.samples);
        await this.#db.insertNative(SAMPLES_TABLE, block.columns, block.finish());
      } else {
        await this.#db.insertRaw(SAMPLES_TABLE, SAMPLE_TSV_COLUMNS, 'TSV', encodeSamplesTsv(plan.samples));
      }
    }
    if (metadata.length > 0) await this.#writeMetadata(metadata);
  }

  async #writeMetadata(metadata: readonly MetricMetadata[]): Promise<void> {
    const nowMs = this.#clock();
    const day = dayOf(nowMs);
    const changed = new Map<string, [MetricMetadata, string]>();
    for (const m of metadata) {
      // Written again once a day, so the row's TTL follows a family that is still sent.
      const fingerprint = `${m.type}\0${m.help}\0${m.unit}\0${day}`;
      if (this.#metadata.get(m.metricFamilyName) !== fingerprint) {
        changed.set(m.metricFamilyName, [m, fingerprint]);
      }
    }
    if (changed.size === 0) return;
    const rows = [...changed.values()].map(([m]) => m);
    if (this.#db.mode === 'embedded') {
      const block = encodeMetadataNative(rows, nowMs);
      await this.#db.insertNative(METADATA_TABLE, block.columns, block.finish());
    } else {
      await this.#db.insertRaw(METADATA_TABLE, METADATA_TSV_COLUMNS, 'TSV', encodeMetadataTsv(rows, nowMs));
    }
    if (this.#metadata.size + changed.size > METADATA_CACHE_LIMIT) this.#metadata.clear();
    for (const [family, [, fingerprint]] of changed) this.#metadata.set(family, fingerprint);
  }
}

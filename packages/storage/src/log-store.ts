/**
 * Writes log records to `otel_logs` and answers log search and the severity histogram.
 */
import { AppError, type Outcome } from '@vigil/core';
import type { LogRecord } from '@vigil/protocols';
import type { LogHistogram, LogHistogramBucket, LogSearchQuery, LogView } from '@vigil/spec';
import type { Database } from './connection.ts';
import { assembleNativeParts, type NativeChunk } from './encode/native/chunk.ts';
import { LOG_NATIVE_COLUMNS, logChunkFromRecords } from './encode/native/logs.ts';
import { clampLimit, insertOutcome, toNumber } from './filters.ts';
import { logConditions, severityLevel } from './log-search.ts';
import { sql, type Sql } from './sql.ts';
import { newestFirstSlices } from './time-slices.ts';

/** Histograms beyond this many buckets are refused: the caller picked a step too fine. */
export const MAX_HISTOGRAM_BUCKETS = 10_000;

interface LogRow extends Omit<LogView, 'severityNumber'> {
  severityNumber: number | string;
}

export class LogStore {
  readonly #db: Database;
  readonly #logs: Sql;

  constructor(db: Database) {
    this.#db = db;
    this.#logs = db.table('otel_logs');
  }

  /** Inserts log records; `retryable` when ClickHouse is unreachable or overloaded. */
  insert(records: readonly LogRecord[]): Promise<Outcome> {
    return this.insertChunks([logChunkFromRecords(records)]);
  }

  /**
   * Inserts chunks of `otel_logs` columns (from logs-otlp.ts or {@link logChunkFromRecords}) as
   * one Native block, embedded or remote; `retryable` when ClickHouse is unreachable or overloaded.
   */
  insertChunks(chunks: readonly NativeChunk[]): Promise<Outcome> {
    return insertOutcome('insert logs', async () => {
      if (!chunks.some((c) => c.rows > 0)) return;
      await this.#db.insertNative(
        'otel_logs',
        LOG_NATIVE_COLUMNS,
        assembleNativeParts(LOG_NATIVE_COLUMNS, chunks),
      );
    });
  }

  /** Records in [fromMs, toMs) matching every filter, newest first. */
  async search(query: LogSearchQuery): Promise<LogView[]> {
    if (!(query.toMs > query.fromMs)) return [];
    const limit = clampLimit(query.limit);
    const out: LogView[] = [];
    // Slices do not overlap and are read newest first, so the result equals one query's.
    for (const slice of newestFirstSlices(query.fromMs, query.toMs)) {
      const rows = await this.#searchIn({ ...query, ...slice }, limit - out.length);
      for (const r of rows) out.push(r);
      if (out.length >= limit) break;
    }
    return out;
  }

  async #searchIn(query: LogSearchQuery, limit: number): Promise<LogView[]> {
    const rows = await this.#db.query<LogRow>(sql`
      SELECT
        toString(toUnixTimestamp64Nano(Timestamp)) AS timestampUnixNano,
        ServiceName AS serviceName,
        SeverityText AS severityText,
        SeverityNumber AS severityNumber,
        Body AS body,
        TraceId AS traceId,
        SpanId AS spanId,
        LogAttributes AS attributes,
        ResourceAttributes AS resourceAttributes
      FROM ${this.#logs}
      WHERE ${sql.and(logConditions(query))}
      ORDER BY Timestamp DESC
      LIMIT ${limit}`);
    return rows.map((r) => ({ ...r, severityNumber: toNumber(r.severityNumber) }));
  }

  /**
   * Counts per `stepMs` bucket and severity over [fromMs, toMs), with the same filters as
   * search. Buckets are aligned to multiples of `stepMs` since the epoch and every bucket of the
   * range is present (zero counts as `{}`), so a chart needs no gap filling. A record without
   * severity text is counted under its number's level (`17` → `error`), else `unknown`.
   */
  async histogram(
    query: Omit<LogSearchQuery, 'limit'> & { limit?: number },
    stepMs: number,
  ): Promise<LogHistogram> {
    if (!Number.isInteger(stepMs) || stepMs < 1) {
      throw new AppError(
        'bad_request',
        `histogram step must be a positive whole number of ms, got ${stepMs}`,
      );
    }
    const firstBucket = Math.floor(query.fromMs / stepMs) * stepMs;
    const bucketCount = query.toMs > query.fromMs ? Math.ceil((query.toMs - firstBucket) / stepMs) : 0;
    if (bucketCount > MAX_HISTOGRAM_BUCKETS) {
      throw new AppError(
        'bad_request',
        `histogram of ${bucketCount} buckets exceeds ${MAX_HISTOGRAM_BUCKETS}; use a larger step`,
      );
    }
    const buckets: LogHistogramBucket[] = [];
    for (let i = 0; i < bucketCount; i++) buckets.push({ timeMs: firstBucket + i * stepMs, counts: {} });
    if (bucketCount === 0) return { stepMs, buckets };

    const rows = await this.#db.query<{
      bucketMs: number | string;
      severity: string;
      severityNumber: number | string;
      n: number | string;
    }>(sql`
      SELECT
        intDiv(toUnixTimestamp64Milli(Timestamp), ${stepMs}) * ${stepMs} AS bucketMs,
        lower(SeverityText) AS severity,
        if(SeverityText = '', SeverityNumber, 0) AS severityNumber,
        count() AS n
      FROM ${this.#logs}
      WHERE ${sql.and(logConditions(query))}
      GROUP BY bucketMs, severity, severityNumber`);
    for (const row of rows) {
      const bucket = buckets[Math.floor((toNumber(row.bucketMs) - firstBucket) / stepMs)];
      if (!bucket) continue;
      const name = row.severity || severityLevel(toNumber(row.severityNumber)) || 'unknown';
      bucket.counts[name] = (bucket.counts[name] ?? 0) + toNumber(row.n);
    }
    return { stepMs, buckets };
  }
}

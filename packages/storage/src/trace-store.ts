/**
 * Writes spans to `otel_traces` and answers the trace search and trace view of the API.
 *
 * Search runs in three small steps rather than one clever query, so each can use the sort key:
 *
 *   1. candidates  spans in [from, to) matching every filter  → newest `limit` trace ids
 *   2. window      otel_traces_trace_id_ts for those ids      → [min Start, max End + 1 s]
 *   3. summaries   every span of those traces inside window   → root, duration, count, error
 */
import type { Outcome } from '@vigil/core';
import type { SpanRecord } from '@vigil/protocols';
import type { SpanView, TraceSearchQuery, TraceSummary, TraceView } from '@vigil/spec';
import type { Database } from './connection.ts';
import { assembleNativeParts, type NativeChunk } from './encode/native/chunk.ts';
import { SPAN_NATIVE_COLUMNS, spanChunkFromRecords } from './encode/native/spans.ts';
import { attributeConditions, clampLimit, insertOutcome, timeWindow, toNumber } from './filters.ts';
import { sql, type Sql } from './sql.ts';
import { newestFirstSlices, type TimeSlice } from './time-slices.ts';

interface SummaryRow {
  traceId: string;
  rootServiceName: string;
  rootSpanName: string;
  startTimeUnixNano: string;
  durationNs: number | string;
  spanCount: number | string;
  hasError: boolean | number;
}

interface SpanRow extends Omit<SpanView, 'durationNs' | 'events'> {
  durationNs: number | string;
  eventTimes: string[];
  eventNames: string[];
  eventAttributes: Array<Record<string, string>>;
}

export class TraceStore {
  readonly #db: Database;
  readonly #traces: Sql;
  readonly #lookup: Sql;

  constructor(db: Database) {
    this.#db = db;
    this.#traces = db.table('otel_traces');
    this.#lookup = db.table('otel_traces_trace_id_ts');
  }

  /** Inserts spans; `retryable` when ClickHouse is unreachable or overloaded. */
  insert(spans: readonly SpanRecord[]): Promise<Outcome> {
    return this.insertChunks([spanChunkFromRecords(spans)]);
  }

  /**
   * Inserts chunks of `otel_traces` columns as one Native block, embedded or remote (Native
   * needs under half of TSV's insert CPU, see README); `retryable` when ClickHouse is unreachable
   * or overloaded.
   */
  insertChunks(chunks: readonly NativeChunk[]): Promise<Outcome> {
    return insertOutcome('insert spans', async () => {
      if (!chunks.some((c) => c.rows > 0)) return;
      await this.#db.insertNative(
        'otel_traces',
        SPAN_NATIVE_COLUMNS,
        assembleNativeParts(SPAN_NATIVE_COLUMNS, chunks),
      );
    });
  }

  /** Traces with at least one span in [fromMs, toMs) matching every filter, newest first. */
  async search(query: TraceSearchQuery): Promise<TraceSummary[]> {
    if (!(query.toMs > query.fromMs)) return [];
    const ids = await this.#candidates(query);
    if (ids.length === 0) return [];
    const [window] = await this.#db.query<{
      start: number | string;
      end: number | string;
      n: number | string;
    }>(
      sql`SELECT toUnixTimestamp(min(Start)) AS start, toUnixTimestamp(max(End)) AS end, count() AS n
          FROM ${this.#lookup} WHERE TraceId IN ${ids}`,
    );
    // The lookup is filled by a materialized view on the same insert, so it knows every trace;
    // widening to the search window keeps the matched spans in even if it somehow did not.
    let fromMs = query.fromMs;
    let toMs = query.toMs;
    if (window && toNumber(window.n) > 0) {
      fromMs = Math.min(fromMs, toNumber(window.start) * 1000);
      toMs = Math.max(toMs, (toNumber(window.end) + 1) * 1000);
    }
    const rows = await this.#db.query<SummaryRow>(sql`
      SELECT
        TraceId AS traceId,
        argMin(ServiceName, (ParentSpanId != '', Timestamp)) AS rootServiceName,
        argMin(SpanName, (ParentSpanId != '', Timestamp)) AS rootSpanName,
        toString(toUnixTimestamp64Nano(min(Timestamp))) AS startTimeUnixNano,
        toString(max(toUnixTimestamp64Nano(Timestamp) + toInt64(Duration)) - toUnixTimestamp64Nano(min(Timestamp))) AS durationNs,
        count() AS spanCount,
        countIf(StatusCode = 'Error') > 0 AS hasError
      FROM ${this.#traces}
      WHERE TraceId IN ${ids} AND ${timeWindow(sql`Timestamp`, fromMs, toMs)}
      GROUP BY TraceId`);
    return rows
      .map((r) => ({
        traceId: r.traceId,
        rootServiceName: r.rootServiceName,
        rootSpanName: r.rootSpanName,
        startTimeUnixNano: r.startTimeUnixNano,
        durationNs: toNumber(r.durationNs),
        spanCount: toNumber(r.spanCount),
        hasError: Boolean(r.hasError),
      }))
      .filter((t) => query.status !== 'ok' || !t.hasError)
      .sort((a, b) => compareNs(b.startTimeUnixNano, a.startTimeUnixNano));
  }

  /** Every span of a trace, oldest first; null when the trace is unknown. */
  async getTrace(traceId: string): Promise<TraceView | null> {
    const id = traceId.toLowerCase();
    // The lookup row bounds the scan to the trace's own seconds instead of all retained days.
    // Bounds are converted to DateTime64(9) before comparing: against the lookup's DateTime
    // (a Nullable one, from a scalar subquery) ClickHouse 26.7 rounds the bound when pruning
    // parts by min-max and silently skips a part whose spans start within the last second.
    const rows = await this.#db.query<SpanRow>(sql`
      WITH (
        SELECT (toDateTime64(min(Start), 9), toDateTime64(max(End), 9) + toIntervalSecond(1))
        FROM ${this.#lookup} WHERE TraceId = ${id}
      ) AS bounds
      SELECT
        SpanId AS spanId,
        ParentSpanId AS parentSpanId,
        ServiceName AS serviceName,
        SpanName AS name,
        SpanKind AS kind,
        toString(toUnixTimestamp64Nano(Timestamp)) AS startTimeUnixNano,
        Duration AS durationNs,
        StatusCode AS statusCode,
        StatusMessage AS statusMessage,
        SpanAttributes AS attributes,
        ResourceAttributes AS resourceAttributes,
        arrayMap(t -> toString(toUnixTimestamp64Nano(t)), Events.Timestamp) AS eventTimes,
        Events.Name AS eventNames,
        Events.Attributes AS eventAttributes
      FROM ${this.#traces}
      WHERE TraceId = ${id}
        AND Timestamp >= tupleElement(bounds, 1)
        AND Timestamp < tupleElement(bounds, 2)
      ORDER BY Timestamp, SpanId`);
    if (rows.length === 0) return null;
    return {
      traceId: id,
      spans: rows.map(({ eventTimes, eventNames, eventAttributes, durationNs, ...span }) => ({
        ...span,
        durationNs: toNumber(durationNs),
        events: eventTimes.map((time, i) => ({
          timeUnixNano: time,
          name: eventNames[i] ?? '',
          attributes: eventAttributes[i] ?? {},
        })),
      })),
    };
  }

  /** Ids of matching traces, those with the newest matching spans first (see time-slices.ts). */
  async #candidates(query: TraceSearchQuery): Promise<string[]> {
    const limit = clampLimit(query.limit);
    const ids: string[] = [];
    for (const slice of newestFirstSlices(query.fromMs, query.toMs)) {
      // A trace crossing the slice boundary may match in both slices; it is listed once.
      ids.push(...(await this.#candidatesIn(query, slice, limit - ids.length, ids)));
      if (ids.length >= limit) break;
    }
    return ids;
  }

  async #candidatesIn(
    query: TraceSearchQuery,
    slice: TimeSlice,
    limit: number,
    exclude: string[],
  ): Promise<string[]> {
    const conditions: Sql[] = [timeWindow(sql`Timestamp`, slice.fromMs, slice.toMs)];
    if (exclude.length > 0) conditions.push(sql`TraceId NOT IN ${exclude}`);
    if (query.service) conditions.push(sql`ServiceName = ${query.service}`);
    if (query.spanName) conditions.push(sql`SpanName = ${query.spanName}`);
    if (query.minDurationMs !== undefined) conditions.push(sql`Duration >= ${msToNs(query.minDurationMs)}`);
    if (query.maxDurationMs !== undefined) conditions.push(sql`Duration <= ${msToNs(query.maxDurationMs)}`);
    if (query.status === 'error') conditions.push(sql`StatusCode = 'Error'`);
    if (query.status === 'ok') {
      // "ok" is a property of the whole trace: no error span anywhere in the window.
      conditions.push(sql`StatusCode != 'Error'`);
      conditions.push(sql`TraceId NOT IN (
        SELECT TraceId FROM ${this.#traces}
        WHERE ${timeWindow(sql`Timestamp`, query.fromMs, query.toMs)} AND StatusCode = 'Error')`);
    }
    conditions.push(...attributeConditions(query.attributes, sql`SpanAttributes`, sql`ResourceAttributes`));
    const rows = await this.#db.query<{ traceId: string }>(sql`
      SELECT TraceId AS traceId, min(Timestamp) AS firstMatch
      FROM ${this.#traces}
      WHERE ${sql.and(conditions)}
      GROUP BY TraceId
      ORDER BY firstMatch DESC
      LIMIT ${limit}`);
    return rows.map((r) => r.traceId);
  }
}

function msToNs(ms: number): bigint {
  return BigInt(Math.max(0, Math.round(ms * 1_000_000)));
}

/** Orders decimal nanosecond strings without converting them to lossy numbers. */
function compareNs(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Vigil's `otel_traces` and its TraceId → (Start, End) lookup. Column names and types are the
 * OTel Collector exporter's (see exporter-ddl.ts), so the exporter can INSERT here unchanged and
 * Vigil reads rows from either writer. What differs is storage layout, chosen for compression
 * and Vigil's queries (numbers in packages/storage/README.md):
 *
 * - ORDER BY (ServiceName, toStartOfHour(Timestamp), TraceId, Timestamp): within an hour of one
 *   service, a trace's spans (its server span, database calls, outgoing calls) sit together, so
 *   TraceId and ParentSpanId mostly repeat their neighbours and compress to a fraction (TraceId
 *   3.5 MB → 1.0 MB per 300k spans against the exporter's (ServiceName, SpanName, time) order).
 *   The key also serves trace-by-id reads: within the lookup table's hour window, the primary key
 *   narrows to the granules holding that TraceId in each service, without a scan.
 * - ZSTD(6) on the attribute maps: repetitive key/value runs compress ~25% (span attributes) and
 *   ~75% (resource attributes) better than at level 1-3; ZSTD(1) on random ids (SpanId), where a
 *   higher level buys nothing.
 * - ScopeName/ScopeVersion as LowCardinality: a handful of instrumentation libraries. StatusMessage
 *   stays a String: error texts often carry ids, and LowCardinality degrades on those.
 */
import { sql, type Sql } from '../sql.ts';

export interface RetentionDays {
  tracesTtlDays: number;
  logsTtlDays: number;
}

/** `TTL <expr> + toIntervalDay(n)`, n bound as a parameter (ClickHouse inlines it into the DDL). */
export function ttlClause(column: Sql, days: number): Sql {
  return sql`TTL ${column} + toIntervalDay(${sql.param(days, 'UInt32')})`;
}

/** CREATE TABLE for Vigil's `otel_traces`. */
export function tracesTableDdl(db: string, ttlDays: number): Sql {
  return sql`CREATE TABLE IF NOT EXISTS ${sql.identifier(db, 'otel_traces')} (
    Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    TraceId String CODEC(ZSTD(6)),
    SpanId String CODEC(ZSTD(1)),
    ParentSpanId String CODEC(ZSTD(3)),
    TraceState String CODEC(ZSTD(1)),
    SpanName LowCardinality(String) CODEC(ZSTD(1)),
    SpanKind LowCardinality(String) CODEC(ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(6)),
    ScopeName LowCardinality(String) CODEC(ZSTD(1)),
    ScopeVersion LowCardinality(String) CODEC(ZSTD(1)),
    SpanAttributes Map(LowCardinality(String), String) CODEC(ZSTD(6)),
    Duration UInt64 CODEC(T64, ZSTD(1)),
    StatusCode LowCardinality(String) CODEC(ZSTD(1)),
    StatusMessage String CODEC(ZSTD(1)),
    Events Nested (
        Timestamp DateTime64(9),
        Name LowCardinality(String),
        Attributes Map(LowCardinality(String), String)
    ) CODEC(ZSTD(3)),
    Links Nested (
        TraceId String,
        SpanId String,
        TraceState String,
        Attributes Map(LowCardinality(String), String)
    ) CODEC(ZSTD(3)),
    ResourceAttributeItems Array(String) ALIAS arrayMap(kv -> concat(kv.1, '=', kv.2), CAST(ResourceAttributes, 'Array(Tuple(String, String))')),
    SpanAttributeItems Array(String) ALIAS arrayMap(kv -> concat(kv.1, '=', kv.2), CAST(SpanAttributes, 'Array(Tuple(String, String))')),
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_span_attr_key mapKeys(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_span_attr_value mapValues(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_duration Duration TYPE minmax GRANULARITY 1
) ENGINE = MergeTree
PARTITION BY toDate(Timestamp)
ORDER BY (ServiceName, toStartOfHour(Timestamp), TraceId, Timestamp)
${ttlClause(sql`toDateTime(Timestamp)`, ttlDays)}
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1`;
}

/**
 * The lookup table, exactly as the exporter creates it: one row per trace after merges
 * (AggregatingMergeTree), whole seconds, so a reader adds one second to `End`.
 */
export function traceIdTsTableDdl(db: string, ttlDays: number): Sql {
  return sql`CREATE TABLE IF NOT EXISTS ${sql.identifier(db, 'otel_traces_trace_id_ts')} (
    TraceId String CODEC(ZSTD(1)),
    Start SimpleAggregateFunction(min, DateTime) CODEC(ZSTD(1)),
    End SimpleAggregateFunction(max, DateTime) CODEC(ZSTD(1))
) ENGINE = AggregatingMergeTree
PARTITION BY toStartOfWeek(Start)
ORDER BY (TraceId)
${ttlClause(sql`toDateTime(Start)`, ttlDays)}
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1`;
}

/** The materialized view that fills the lookup table from every insert into `otel_traces`. */
export function traceIdTsViewDdl(db: string): Sql {
  return sql`CREATE MATERIALIZED VIEW IF NOT EXISTS ${sql.identifier(db, 'otel_traces_trace_id_ts_mv')}
TO ${sql.identifier(db, 'otel_traces_trace_id_ts')}
AS SELECT
    TraceId,
    min(toDateTime(Timestamp)) AS Start,
    max(toDateTime(Timestamp)) AS End
FROM ${sql.identifier(db, 'otel_traces')}
WHERE TraceId != ''
GROUP BY TraceId`;
}

/**
 * Vigil's `otel_logs`: the exporter's columns and types (see exporter-ddl.ts), laid out for
 * compression and Vigil's queries (numbers in packages/storage/README.md):
 *
 * - ORDER BY (ServiceName, SeverityText, toStartOfHour(Timestamp), Timestamp): lines of one
 *   service and level share templates, so grouping them lets ZSTD find long matches in Body and
 *   the attribute maps, and severity/number columns become long runs; the hour bucket and the
 *   trailing Timestamp still let the primary key skip by time within each service and level.
 * - ZSTD(6) on the attribute maps (resource attributes ~75% smaller than at ZSTD(3)), ZSTD(3) on
 *   Body (level 6 bought only 4% more), LowCardinality on the few-valued strings.
 * - Token index on lower(Body) for `hasToken(lower(Body), 'word')`, bloom filters on TraceId and
 *   on map keys and values.
 */
import { sql, type Sql } from '../sql.ts';
import { exporterMaterializedColumns } from './exporter-ddl.ts';
import { ttlClause } from './traces.ts';

/** The index on lower(Body); see README for why this type was chosen. */
export const BODY_INDEX = sql`INDEX idx_lower_body lower(Body) TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 8`;

/** CREATE TABLE for Vigil's `otel_logs`. */
export function logsTableDdl(db: string, ttlDays: number): Sql {
  return sql`CREATE TABLE IF NOT EXISTS ${sql.identifier(db, 'otel_logs')} (
    Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    TraceFlags UInt8 CODEC(ZSTD(1)),
    SeverityText LowCardinality(String) CODEC(ZSTD(1)),
    SeverityNumber UInt8 CODEC(ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    Body String CODEC(ZSTD(3)),
    ResourceSchemaUrl LowCardinality(String) CODEC(ZSTD(1)),
    ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(6)),
    ScopeSchemaUrl LowCardinality(String) CODEC(ZSTD(1)),
    ScopeName LowCardinality(String) CODEC(ZSTD(1)),
    ScopeVersion LowCardinality(String) CODEC(ZSTD(1)),
    ScopeAttributes Map(LowCardinality(String), String) CODEC(ZSTD(6)),
    LogAttributes Map(LowCardinality(String), String) CODEC(ZSTD(6)),
    EventName LowCardinality(String) CODEC(ZSTD(1)),
    ${exporterMaterializedColumns()}
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_scope_attr_key mapKeys(ScopeAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_scope_attr_value mapValues(ScopeAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_log_attr_key mapKeys(LogAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_log_attr_value mapValues(LogAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    ${BODY_INDEX}
) ENGINE = MergeTree
PARTITION BY toDate(Timestamp)
ORDER BY (ServiceName, SeverityText, toStartOfHour(Timestamp), Timestamp)
${ttlClause(sql`toDateTime(Timestamp)`, ttlDays)}
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1`;
}

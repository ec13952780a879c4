/**
 * @vigil/storage: ClickHouse (embedded chDB or a server) for spans and logs, in tables
 * compatible with the OpenTelemetry Collector's ClickHouse exporter.
 *
 *   const db = await openDatabase({ url, dataDir, database: 'vigil', logger });
 *   await runMigrations(db, { tracesTtlDays: 7, logsTtlDays: 7 });
 *   const traces = new TraceStore(db);
 *   const logs = new LogStore(db);
 */
export { openDatabase } from './connection.ts';
export type {
  Database,
  InsertFormat,
  NativeColumn,
  OpenDatabaseOptions,
  QueryOptions,
} from './connection.ts';
export { compile, sql, Sql } from './sql.ts';
export type { CompiledSql, ParamValue, SqlValue } from './sql.ts';
export { isRetryable, toAppError } from './errors.ts';
export { MIGRATIONS, runMigrations } from './migrations.ts';
export type { Migration, MigrationContext, StorageConfig } from './migrations.ts';
export { TraceStore } from './trace-store.ts';
export { LogStore, MAX_HISTOGRAM_BUCKETS } from './log-store.ts';
export { MAX_FLAMEGRAPH_STACKS, ProfileStore, type ProfileStoreOptions } from './profile-store.ts';
export { profileChunk, stackHash, type ProfileChunk, type ProfileOrigin } from './profile-store-rows.ts';
export { buildDiffFlameGraph, buildFlameGraph, type StackValue } from './profile-store-flamegraph.ts';
export { searchTokens, severityLevel, SEVERITY_RANGES } from './log-search.ts';
export { listServices } from './services.ts';
export { MAX_LIMIT } from './filters.ts';
export { exporterDefaultDdl } from './schema/exporter-ddl.ts';
export type { ExporterDdlOptions } from './schema/exporter-ddl.ts';
export { logsTableDdl } from './schema/logs.ts';
export { traceIdTsTableDdl, traceIdTsViewDdl, tracesTableDdl } from './schema/traces.ts';
export { encodeSpansJson, encodeSpansTsv, SPAN_COLUMNS } from './encode/spans.ts';
export { encodeLogsJson, encodeLogsTsv, LOG_COLUMNS } from './encode/logs.ts';
export { encodeSpansNative, SPAN_NATIVE_COLUMNS, spanChunkFromRecords } from './encode/native/spans.ts';
export { encodeLogsNative, LOG_NATIVE_COLUMNS, logChunkFromRecords } from './encode/native/logs.ts';
export { decodeLogsChunk } from './encode/native/logs-otlp.ts';
export { decodeSpansChunk } from './encode/native/spans-otlp.ts';
export { assembleNative, checkChunkTimes, type NativeChunk } from './encode/native/chunk.ts';
export { NativeWriter } from './encode/native/writer.ts';
export { NativeBlock } from './metrics/native-block.ts';
export { nsToDateTime64Text } from './encode/timestamp.ts';
export { MetricStore } from './metrics/metric-store.ts';
export type { MetricStoreOptions } from './metrics/metric-store.ts';
export type { MetricsChunk } from './metrics/insert-plan.ts';
export type { SelectOptions, StoredSeries } from './metrics/select-series.ts';
export type { IndexQueryOptions } from './metrics/label-queries.ts';
export type { StoredWindows, WindowQuery } from './metrics/select-windows.ts';
export { metricsDdl } from './metrics/schema.ts';
export { RowBinaryReader } from './metrics/row-binary.ts';

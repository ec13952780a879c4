/**
 * Compatibility with the OpenTelemetry Collector's ClickHouse exporter, both ways:
 * - rows written with the exporter's exact INSERT column lists land in Vigil's tables and come
 *   back through Vigil's stores;
 * - Vigil's stores read a database whose tables the exporter created with its own default DDL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueDatabaseName } from '@vigil/testkit';
import { openDatabase, type Database } from './connection.ts';
import { LOG_COLUMNS } from './encode/logs.ts';
import { SPAN_COLUMNS } from './encode/spans.ts';
import { LogStore } from './log-store.ts';
import { runMigrations } from './migrations.ts';
import { exporterDefaultDdl } from './schema/exporter-ddl.ts';
import { sql, type Sql } from './sql.ts';
import { TraceStore } from './trace-store.ts';
import { nsAt, openTestDatabase, type TestDatabase } from './testing/test-database.ts';

// Verbatim column lists of exporter/clickhouseexporter/internal/sqltemplates/traces_insert.sql
// and logs_insert.sql (with the EventName feature column the exporter adds when the table has it).
const EXPORTER_TRACES_INSERT_COLUMNS = [
  'Timestamp',
  'TraceId',
  'SpanId',
  'ParentSpanId',
  'TraceState',
  'SpanName',
  'SpanKind',
  'ServiceName',
  'ResourceAttributes',
  'ScopeName',
  'ScopeVersion',
  'SpanAttributes',
  'Duration',
  'StatusCode',
  'StatusMessage',
  'Events.Timestamp',
  'Events.Name',
  'Events.Attributes',
  'Links.TraceId',
  'Links.SpanId',
  'Links.TraceState',
  'Links.Attributes',
];
const EXPORTER_LOGS_INSERT_COLUMNS = [
  'Timestamp',
  'TraceId',
  'SpanId',
  'TraceFlags',
  'SeverityText',
  'SeverityNumber',
  'ServiceName',
  'Body',
  'ResourceSchemaUrl',
  'ResourceAttributes',
  'ScopeSchemaUrl',
  'ScopeName',
  'ScopeVersion',
  'ScopeAttributes',
  'LogAttributes',
  'EventName',
];

const MIN = 60_000;
const NOW = Date.now();
const TRACE = '5b8efff798038103d269b633813fc60c';
const TEXT = "exporter row: quote ' back\\slash\nnewline ünï 🎉";
const MAP = 'Map(String, String)';
const ns = (n: bigint): Sql =>
  sql`${sql.param(`${n / 1_000_000_000n}.${String(n % 1_000_000_000n).padStart(9, '0')}`, 'DateTime64(9)')}`;
const columns = (list: string[]): Sql => sql.join(list.map((c) => sql`${sql.identifier(...c.split('.'))}`));

/** One span the way the exporter binds it: start time, ids, kind/status strings, maps, arrays. */
async function insertLikeExporter(db: Database): Promise<void> {
  const start = nsAt(NOW - 5 * MIN, 42);
  const values = [
    ns(start),
    sql`${TRACE}`,
    sql`${'eee19b7ec3c1b174'}`,
    sql`${''}`,
    sql`${''}`,
    sql`${'HTTP GET'}`,
    sql`${'Server'}`,
    sql`${'exporter-svc'}`,
    sql`${sql.param({ 'service.name': 'exporter-svc', 'host.name': TEXT }, MAP)}`,
    sql`${'io.opentelemetry.http'}`,
    sql`${'1.2.3'}`,
    sql`${sql.param({ 'http.method': 'GET', note: TEXT }, MAP)}`,
    sql`${sql.param(12_345_678, 'UInt64')}`,
    sql`${'Error'}`,
    sql`${TEXT}`,
    sql`[${ns(start + 1000n)}]`,
    sql`${['exception']}`,
    sql`${sql.param([{ 'exception.message': TEXT }], `Array(${MAP})`)}`,
    sql`${[] as string[]}`,
    sql`${[] as string[]}`,
    sql`${[] as string[]}`,
    sql`${sql.param([], `Array(${MAP})`)}`,
  ];
  await db.command(
    sql`INSERT INTO ${db.table('otel_traces')} (${columns(EXPORTER_TRACES_INSERT_COLUMNS)}) VALUES (${sql.join(values)})`,
  );
  const logValues = [
    ns(start + 5n),
    sql`${TRACE}`,
    sql`${'eee19b7ec3c1b174'}`,
    sql`${sql.param(1, 'UInt8')}`,
    sql`${'Error'}`,
    sql`${sql.param(17, 'UInt8')}`,
    sql`${'exporter-svc'}`,
    sql`${TEXT}`,
    sql`${''}`,
    sql`${sql.param({ 'service.name': 'exporter-svc' }, MAP)}`,
    sql`${''}`,
    sql`${'logger'}`,
    sql`${''}`,
    sql`${sql.param({}, MAP)}`,
    sql`${sql.param({ 'code.lineno': '7' }, MAP)}`,
    sql`${''}`,
  ];
  await db.command(
    sql`INSERT INTO ${db.table('otel_logs')} (${columns(EXPORTER_LOGS_INSERT_COLUMNS)}) VALUES (${sql.join(logValues)})`,
  );
}

async function expectReadableByVigil(db: Database): Promise<void> {
  const trace = await new TraceStore(db).getTrace(TRACE);
  expect(trace?.spans).toEqual([
    {
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: '',
      serviceName: 'exporter-svc',
      name: 'HTTP GET',
      kind: 'Server',
      startTimeUnixNano: nsAt(NOW - 5 * MIN, 42).toString(),
      durationNs: 12_345_678,
      statusCode: 'Error',
      statusMessage: TEXT,
      attributes: { 'http.method': 'GET', note: TEXT },
      resourceAttributes: { 'service.name': 'exporter-svc', 'host.name': TEXT },
      events: [
        {
          timeUnixNano: (nsAt(NOW - 5 * MIN, 42) + 1000n).toString(),
          name: 'exception',
          attributes: { 'exception.message': TEXT },
        },
      ],
    },
  ]);
  const found = await new TraceStore(db).search({
    fromMs: NOW - 10 * MIN,
    toMs: NOW,
    service: 'exporter-svc',
    status: 'error',
    attributes: { note: TEXT },
    limit: 10,
  });
  expect(found.map((f) => [f.traceId, f.rootSpanName, f.hasError])).toEqual([[TRACE, 'HTTP GET', true]]);
  const logs = await new LogStore(db).search({
    fromMs: NOW - 10 * MIN,
    toMs: NOW,
    search: 'newline',
    severity: 'error',
    traceId: TRACE,
    attributes: { 'code.lineno': '7' },
    limit: 10,
  });
  expect(logs.map((l) => [l.body, l.severityNumber, l.serviceName])).toEqual([[TEXT, 17, 'exporter-svc']]);
}

describe('OpenTelemetry Collector exporter compatibility', () => {
  let t: TestDatabase;
  let exporterDb: Database;
  beforeAll(async () => {
    t = await openTestDatabase();
    // Same chDB engine (one per process), a second database holding the exporter's own tables.
    exporterDb = await openDatabase({ dataDir: t.dataDir, database: uniqueDatabaseName('exporter') });
    for (const statement of exporterDefaultDdl(exporterDb.database)) await exporterDb.command(statement);
  });
  afterAll(async () => {
    await exporterDb.close();
    await t.cleanup();
  });

  it('encodes spans and logs with the exporter INSERT column lists', () => {
    expect([...SPAN_COLUMNS]).toEqual(EXPORTER_TRACES_INSERT_COLUMNS);
    expect([...LOG_COLUMNS]).toEqual(EXPORTER_LOGS_INSERT_COLUMNS);
  });

  it.each(['otel_traces', 'otel_logs', 'otel_traces_trace_id_ts'])(
    'gives %s the exporter column names and types (LowCardinality aside)',
    async (table) => {
      const describe = async (db: Database) =>
        await db.query<{ name: string; type: string; default_kind: string }>(sql`
          SELECT name, replaceRegexpAll(type, 'LowCardinality\\((\\w+)\\)', '\\1') AS type, default_kind
          FROM system.columns WHERE database = ${db.database} AND table = ${table} ORDER BY position`);
      const vigil = await describe(t.db);
      expect(vigil.length).toBeGreaterThanOrEqual(3);
      expect(vigil).toEqual(await describe(exporterDb));
    },
  );

  it('returns rows written with the exporter INSERT column lists into Vigil tables', async () => {
    await insertLikeExporter(t.db);
    await expectReadableByVigil(t.db);
  });

  it('reads a database whose tables the exporter created, after Vigil migrations ran on it', async () => {
    expect(await runMigrations(exporterDb)).toEqual([
      '0001_otel_traces',
      '0002_otel_logs',
      '0003_metrics',
      '0004_metrics_sample_blocks',
      // Only a table setting (merge width): the exporter's tables keep their columns and keys.
      '0005_telemetry_merge_width',
      '0006_metrics_rollups',
      '0007_profiles',
    ]);
    await insertLikeExporter(exporterDb);
    await expectReadableByVigil(exporterDb);
  });

  it('creates the exporter text-index variant on this engine too', async () => {
    const db = uniqueDatabaseName('exporter_fts');
    await t.db.command(sql`CREATE DATABASE ${sql.identifier(db)}`);
    for (const statement of exporterDefaultDdl(db, { fullTextSearch: true })) await t.db.command(statement);
    const rows = await t.db.query<{ n: string }>(
      sql`SELECT count() AS n FROM system.data_skipping_indices WHERE database = ${db} AND type = 'text'`,
    );
    expect(Number(rows[0]?.n)).toBe(13);
  });
});

/**
 * Prototype schema changes, measured against a control on the same rows. Each variant is a
 * database on the same engine with Vigil's DDL changed in one place, filled by INSERT … SELECT
 * from the benchmark's tables; the control gets Vigil's DDL unchanged through the same path, and
 * both are merged to one part per partition, so only the schema differs between them.
 *
 * The DDL is Vigil's own (schema/traces.ts) compiled and edited as text: a throwaway prototype
 * of the change a migration would make, never a way SQL is built in the product.
 */
import {
  compile,
  openDatabase,
  sql,
  SPAN_COLUMNS,
  traceIdTsTableDdl,
  traceIdTsViewDdl,
  tracesTableDdl,
  type Database,
  type Sql,
} from '@vigil/storage';
import { tableSize, type TableSize } from './table-size.ts';

export interface SchemaVariant {
  /** Database name suffix. */
  key: string;
  /** What changes, and why it should help. */
  change: string;
  /** Edits the compiled CREATE TABLE text of one table (identity for the control). */
  edit(table: 'otel_traces' | 'otel_traces_trace_id_ts', ddl: string): string;
}

export const TRACE_SCHEMA_VARIANTS: readonly SchemaVariant[] = [
  { key: 'control', change: "Vigil's DDL unchanged, copied and merged the same way", edit: (_t, ddl) => ddl },
  {
    key: 'granule2048',
    change:
      'otel_traces index_granularity 8192 → 2048: a trace is ~1 granule per service it visits, ' +
      'so reading a trace decompresses 4x fewer rows',
    edit: (t, ddl) =>
      t === 'otel_traces' ? ddl.replace('index_granularity = 8192', 'index_granularity = 2048') : ddl,
  },
];

async function run(db: Database, statement: Sql, edit: (text: string) => string = (t) => t): Promise<void> {
  const { query, params } = compile(statement);
  await db.client.command({ query: edit(query), query_params: params });
}

/** Builds one variant's traces tables from `source`'s rows and returns the opened database. */
export async function buildTraceVariant(
  dataDir: string,
  source: Database,
  variant: SchemaVariant,
): Promise<{ db: Database; sizes: TableSize[]; seconds: number }> {
  const t0 = performance.now();
  const db = await openDatabase({ dataDir, database: `${source.database}_${variant.key}` });
  const sizes = async (): Promise<TableSize[]> => [
    await tableSize(db, 'otel_traces'),
    await tableSize(db, 'otel_traces_trace_id_ts'),
  ];
  const [existing] = await sizes();
  if (existing && existing.rows > 0) return { db, sizes: await sizes(), seconds: 0 };
  await run(db, tracesTableDdl(db.database, 60), (q) => variant.edit('otel_traces', q));
  await run(db, traceIdTsTableDdl(db.database, 60), (q) => variant.edit('otel_traces_trace_id_ts', q));
  await run(db, traceIdTsViewDdl(db.database));
  const columns = sql.join(SPAN_COLUMNS.map((c) => sql`${sql.identifier(...c.split('.'))}`));
  await db.command(sql`INSERT INTO ${db.table('otel_traces')} (${columns})
    SELECT ${columns} FROM ${source.table('otel_traces')}`);
  for (const t of ['otel_traces', 'otel_traces_trace_id_ts']) {
    await db.command(sql`OPTIMIZE TABLE ${db.table(t)} FINAL`);
  }
  return { db, sizes: await sizes(), seconds: Math.round((performance.now() - t0) / 100) / 10 };
}

/**
 * Prototype schema changes, measured against a control on the same rows. Each variant is a
 * database on the same engine with Vigil's DDL changed in one place, filled by INSERT … SELECT
 * from the benchmark's tables; the control gets Vigil's DDL unchanged through the same path, and
 * both are merged to one part per partition, so only the schema differs between them.
 *
 * The DDL is Vigil's own (schema/*.ts) compiled and edited as text: a throwaway prototype of the
 * change a migration would make, never a way SQL is built in the product.
 */
import {
  compile,
  LOG_COLUMNS,
  logsTableDdl,
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
  signal: 'traces' | 'logs';
  /** What changes, and why it should help. */
  change: string;
  /** Edits the compiled CREATE TABLE text of one table (identity for a control). */
  edit(table: string, ddl: string): string;
}

const same = (_table: string, ddl: string): string => ddl;

export const SCHEMA_VARIANTS: readonly SchemaVariant[] = [
  {
    key: 'control',
    signal: 'traces',
    change: "Vigil's DDL unchanged, copied and merged the same way",
    edit: same,
  },
  {
    key: 'granule2048',
    signal: 'traces',
    change:
      'otel_traces index_granularity 8192 → 2048 (hypothesis: a trace is ~1 granule per service ' +
      'it visits, so reading one would decompress 4x fewer rows)',
    edit: (t, ddl) =>
      t === 'otel_traces' ? ddl.replace('index_granularity = 8192', 'index_granularity = 2048') : ddl,
  },
  {
    key: 'logs_control',
    signal: 'logs',
    change: "Vigil's DDL unchanged, copied and merged the same way",
    edit: same,
  },
  {
    key: 'logs_text',
    signal: 'logs',
    change:
      "idx_lower_body tokenbf_v1(32768, 3, 0) GRANULARITY 8 → text(tokenizer = 'splitByNonAlpha') " +
      '(hypothesis: an exact token → rows index skips what a bloom filter over 65k-row blocks cannot)',
    edit: (_t, ddl) =>
      ddl.replace('TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 8', "TYPE text(tokenizer = 'splitByNonAlpha')"),
  },
];

async function run(db: Database, statement: Sql, edit: (text: string) => string = (t) => t): Promise<void> {
  const { query, params } = compile(statement);
  await db.client.command({ query: edit(query), query_params: params });
}

/** Builds one variant's tables from `source`'s rows (once; kept for --reuse) and opens it. */
export async function buildVariant(
  dataDir: string,
  source: Database,
  variant: SchemaVariant,
): Promise<{ db: Database; sizes: TableSize[] }> {
  const db = await openDatabase({ dataDir, database: `${source.database}_${variant.key}` });
  const tables = variant.signal === 'traces' ? ['otel_traces', 'otel_traces_trace_id_ts'] : ['otel_logs'];
  const sizes = async (): Promise<TableSize[]> => Promise.all(tables.map((t) => tableSize(db, t)));
  const [existing] = await sizes();
  if (existing && existing.rows > 0) return { db, sizes: await sizes() };
  const target = tables[0]!;
  if (variant.signal === 'traces') {
    await run(db, tracesTableDdl(db.database, 60), (q) => variant.edit('otel_traces', q));
    await run(db, traceIdTsTableDdl(db.database, 60), (q) => variant.edit('otel_traces_trace_id_ts', q));
    await run(db, traceIdTsViewDdl(db.database));
  } else {
    await run(db, logsTableDdl(db.database, 60), (q) => variant.edit('otel_logs', q));
  }
  const names = variant.signal === 'traces' ? SPAN_COLUMNS : LOG_COLUMNS;
  const columns = sql.join(names.map((c) => sql`${sql.identifier(...c.split('.'))}`));
  await db.command(
    sql`INSERT INTO ${db.table(target)} (${columns}) SELECT ${columns} FROM ${source.table(target)}`,
  );
  for (const t of tables) await db.command(sql`OPTIMIZE TABLE ${db.table(t)} FINAL`);
  return { db, sizes: await sizes() };
}

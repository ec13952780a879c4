/**
 * The schema snapshot of a MySQL/MariaDB server for change tracking: base tables of every schema
 * but the system ones, their columns (type, NOT NULL, default, extra) and indexes (kind, columns,
 * index type). Two information_schema statements for the whole server; ~10 ms on MariaDB 10.11
 * with a few hundred tables. On MySQL the database is the schema: snapshots are keyed by it.
 */
import { SchemaBuilder, type DatabaseSchema } from '../../changes/schema-snapshot.ts';
import type { Row } from './connection.ts';
import type { Run } from './queries.ts';

const SYSTEM_SCHEMAS = `('mysql', 'information_schema', 'performance_schema', 'sys')`;

const str = (v: unknown): string =>
  typeof v === 'string'
    ? v
    : typeof v === 'number'
      ? String(v)
      : Buffer.isBuffer(v)
        ? v.toString('utf8')
        : '';

export interface ServerSchema {
  /** Every non-system schema (database), with tables or not. */
  readonly databases: readonly string[];
  /** Tables by database. */
  readonly schemas: ReadonlyMap<string, DatabaseSchema>;
}

function columnDescription(r: Row): string {
  const nullable = str(r.nullable) === 'YES';
  const dflt = r.dflt === null || r.dflt === undefined ? undefined : str(r.dflt);
  const extra = str(r.extra);
  return (
    str(r.type) +
    (nullable ? '' : ' NOT NULL') +
    (dflt === undefined ? '' : ` DEFAULT ${dflt}`) +
    (extra === '' ? '' : ` ${extra}`)
  );
}

function indexDefinition(r: Row): string {
  const name = str(r.idx);
  const kind =
    name === 'PRIMARY' ? 'PRIMARY KEY' : str(r.non_unique) === '0' ? `UNIQUE INDEX ${name}` : `INDEX ${name}`;
  return `${kind} (${str(r.cols)}) USING ${str(r.index_type)}`;
}

export async function readServerSchema(run: Run): Promise<ServerSchema> {
  const databases = (
    await run(
      `SELECT SCHEMA_NAME AS db FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN ${SYSTEM_SCHEMAS}`,
    )
  ).map((r) => str(r.db));
  const builders = new Map<string, SchemaBuilder>();
  const builder = (db: string): SchemaBuilder => {
    let b = builders.get(db);
    if (b === undefined) builders.set(db, (b = new SchemaBuilder()));
    return b;
  };
  const columns = await run(
    `SELECT c.TABLE_SCHEMA AS db, c.TABLE_NAME AS tbl, c.COLUMN_NAME AS col, c.COLUMN_TYPE AS type,
            c.IS_NULLABLE AS nullable, c.COLUMN_DEFAULT AS dflt, c.EXTRA AS extra
       FROM information_schema.COLUMNS c
       JOIN information_schema.TABLES t
         ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME AND t.TABLE_TYPE = 'BASE TABLE'
      WHERE c.TABLE_SCHEMA NOT IN ${SYSTEM_SCHEMAS}
      ORDER BY c.TABLE_SCHEMA, c.TABLE_NAME, c.ORDINAL_POSITION`,
  );
  for (const r of columns) builder(str(r.db)).addColumn('', str(r.tbl), str(r.col), columnDescription(r));
  const indexes = await run(
    `SELECT TABLE_SCHEMA AS db, TABLE_NAME AS tbl, INDEX_NAME AS idx, NON_UNIQUE AS non_unique,
            INDEX_TYPE AS index_type,
            GROUP_CONCAT(CONCAT(COALESCE(COLUMN_NAME, ''), IF(SUB_PART IS NULL, '', CONCAT('(', SUB_PART, ')')))
                         ORDER BY SEQ_IN_INDEX SEPARATOR ', ') AS cols
       FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA NOT IN ${SYSTEM_SCHEMAS}
      GROUP BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, INDEX_TYPE
      ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME`,
  );
  for (const r of indexes) builder(str(r.db)).addIndex('', str(r.tbl), str(r.idx), indexDefinition(r));
  const schemas = new Map<string, DatabaseSchema>();
  // A schema without tables is an empty snapshot, so its first table is reported as added.
  for (const db of databases) schemas.set(db, builders.get(db)?.build() ?? new Map());
  return { databases, schemas };
}

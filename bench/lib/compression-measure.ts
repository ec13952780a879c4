/**
 * One dataset into Vigil's table and into the OTel Collector exporter's default table, the same
 * encoded batches into both, then OPTIMIZE … FINAL (one part per partition, as after a long
 * quiet period) and sizes from system.parts / system.columns.
 */
import { exporterDefaultDdl, openDatabase, runMigrations, sql, type Database } from '@vigil/storage';
import { columnSizes, tableSize, type TableSize } from './table-size.ts';

export interface SchemaResult extends TableSize {
  /** The five columns taking the most compressed bytes. */
  topColumns: Array<{ column: string; compressedBytes: number; uncompressedBytes: number }>;
}

export interface DatasetResult {
  dataset: string;
  table: 'otel_traces' | 'otel_logs';
  rows: number;
  vigil: SchemaResult;
  exporter: SchemaResult;
  /** Vigil compressed column bytes / exporter's. */
  vigilToExporterBytes: number;
  /** Vigil bytes on disk / exporter's (indexes and marks included). */
  vigilToExporterDiskBytes: number;
  /** Exporter uncompressed bytes / Vigil compressed: both schemas' ratio on the same base. */
  vigilRatioOnExporterBase: number;
}

export interface EncodedSource {
  /** The next batch already encoded as TSV for `columns`, or undefined when done. */
  next(): Buffer | undefined;
}

async function schemaResult(db: Database, table: string): Promise<SchemaResult> {
  const size = await tableSize(db, table);
  return { ...size, topColumns: (await columnSizes(db, table)).slice(0, 5) };
}

/** Loads `source` into both schemas (databases `cmp_<key>_vigil` / `_exporter`) and measures. */
export async function measureDataset(
  dataDir: string,
  key: string,
  table: 'otel_traces' | 'otel_logs',
  columns: readonly string[],
  source: EncodedSource,
): Promise<DatasetResult> {
  const vigil = await openDatabase({ dataDir, database: `cmp_${key}_vigil` });
  const exporter = await openDatabase({ dataDir, database: `cmp_${key}_exporter` });
  try {
    await runMigrations(vigil);
    for (const statement of exporterDefaultDdl(exporter.database)) await exporter.command(statement);
    for (let body = source.next(); body; body = source.next()) {
      await vigil.insertRaw(table, columns, 'TSV', body);
      await exporter.insertRaw(table, columns, 'TSV', body);
    }
    for (const db of [vigil, exporter]) await db.command(sql`OPTIMIZE TABLE ${db.table(table)} FINAL`);
    const v = await schemaResult(vigil, table);
    const e = await schemaResult(exporter, table);
    const r2 = (x: number): number => Math.round(x * 100) / 100;
    return {
      dataset: key,
      table,
      rows: v.rows,
      vigil: v,
      exporter: e,
      vigilToExporterBytes: r2(v.compressedBytes / e.compressedBytes),
      vigilToExporterDiskBytes: r2(v.bytesOnDisk / e.bytesOnDisk),
      vigilRatioOnExporterBase: r2(e.uncompressedBytes / v.compressedBytes),
    };
  } finally {
    // Dropped once measured: system.parts stays small and the disk free for the next dataset.
    for (const db of [vigil, exporter]) {
      await db.command(sql`DROP DATABASE IF EXISTS ${sql.identifier(db.database)} SYNC`);
      await db.close();
    }
  }
}

/**
 * Table sizes from system.parts (active parts only): what a table costs on disk and how well it
 * compresses. `ratio` is data_uncompressed_bytes / data_compressed_bytes (column data only);
 * `bytesOnDisk` adds marks, primary index, skip indexes and checksums.
 */
import { sql, type Database } from '@vigil/storage';

export interface TableSize {
  table: string;
  rows: number;
  parts: number;
  uncompressedBytes: number;
  compressedBytes: number;
  bytesOnDisk: number;
  /** Uncompressed / compressed column bytes. */
  ratio: number;
  /** Skip-index bytes on disk (compressed), part of bytesOnDisk. */
  skipIndexBytes: number;
}

export async function tableSize(db: Database, table: string): Promise<TableSize> {
  const [row] = await db.query<Record<string, number | string>>(sql`
    SELECT sum(rows) AS rows, count() AS parts,
      sum(data_uncompressed_bytes) AS raw, sum(data_compressed_bytes) AS packed,
      sum(bytes_on_disk) AS disk, sum(secondary_indices_compressed_bytes) AS idx
    FROM system.parts WHERE database = ${db.database} AND table = ${table} AND active`);
  const n = (k: string): number => Number(row?.[k] ?? 0);
  return {
    table,
    rows: n('rows'),
    parts: n('parts'),
    uncompressedBytes: n('raw'),
    compressedBytes: n('packed'),
    bytesOnDisk: n('disk'),
    ratio: n('packed') > 0 ? Math.round((n('raw') / n('packed')) * 100) / 100 : 0,
    skipIndexBytes: n('idx'),
  };
}

/** Per-column compressed/uncompressed bytes, largest first (where the bytes go). */
export async function columnSizes(
  db: Database,
  table: string,
): Promise<Array<{ column: string; compressedBytes: number; uncompressedBytes: number }>> {
  const rows = await db.query<{ column: string; c: number | string; u: number | string }>(sql`
    SELECT name AS column, data_compressed_bytes AS c, data_uncompressed_bytes AS u
    FROM system.columns WHERE database = ${db.database} AND table = ${table}
    ORDER BY data_compressed_bytes DESC`);
  return rows.map((r) => ({
    column: r.column,
    compressedBytes: Number(r.c),
    uncompressedBytes: Number(r.u),
  }));
}

/**
 * Waits until background merges are done: no merge running and the active part count unchanged
 * for three polls. Returns the seconds waited (capped at `timeoutS`).
 */
export async function settleMerges(db: Database, timeoutS: number): Promise<number> {
  const t0 = Date.now();
  let last = -1;
  let stable = 0;
  while ((Date.now() - t0) / 1000 < timeoutS && stable < 3) {
    const [row] = await db.query<{ merges: number | string; parts: number | string }>(sql`
      SELECT (SELECT count() FROM system.merges WHERE database = ${db.database}) AS merges,
        (SELECT count() FROM system.parts WHERE database = ${db.database} AND active) AS parts`);
    const parts = Number(row?.parts);
    stable = Number(row?.merges) === 0 && parts === last ? stable + 1 : 0;
    last = parts;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  return Math.round((Date.now() - t0) / 100) / 10;
}

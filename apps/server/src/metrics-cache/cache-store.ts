/**
 * The cache's database: always the embedded engine in the data directory (`<dataDir>/clickhouse`),
 * even when telemetry lives on a ClickHouse server, because the cache exists to answer when the
 * metrics backend does not. In embedded mode it is the telemetry's engine, another database.
 */
import type { Logger } from '@vigil/core';
import type { Label } from '@vigil/protocols';
import {
  compile,
  openDatabase,
  RowBinaryReader,
  sql,
  toAppError,
  type Database,
  type Sql,
} from '@vigil/storage';
import { CHUNKS_TABLE, ensureCacheSchema, POINTS_TABLE, SERIES_TABLE } from './schema.ts';
import type { ChunkRecord } from './write-batch.ts';

/** Points of one series as read back: times ascending. */
export interface CachedSeries {
  readonly labels: Label[];
  readonly timestampsMs: Float64Array;
  readonly values: Float64Array;
}

/** Per query key: chunks and points stored, newest evaluated time. */
export interface StoredTotals {
  readonly chunks: number;
  readonly points: number;
  readonly throughMs: number;
}

interface ChunkRow {
  QKey: string;
  StartMs: number;
  EndMs: number;
  Step: number;
  FromMs: number;
  ThroughMs: number;
  SettledMs: number;
  Slots: number[];
  IsSealed: number;
}

const ms = (column: string) => sql`toUnixTimestamp64Milli(${sql.identifier(column)})`;

// Aliases differ from the column names: ClickHouse resolves WHERE names to SELECT aliases first,
// so `ChunkStart AS ChunkStart` would compare milliseconds with a DateTime64 there.
const CHUNK_COLUMNS = sql`SELECT QueryKey AS QKey, ${ms('ChunkStart')} AS StartMs, ${ms('ChunkEnd')} AS EndMs,
  StepMs AS Step, ${ms('FromTs')} AS FromMs, ${ms('ThroughTs')} AS ThroughMs, ${ms('SettledTs')} AS SettledMs,
  SlotPoints AS Slots, Sealed AS IsSealed`;

export class CacheStore {
  private constructor(readonly db: Database) {}

  static async open(options: {
    dataDir: string;
    database: string;
    ttlDays: number;
    logger: Logger;
  }): Promise<CacheStore> {
    // No URL: the embedded engine, whatever the telemetry storage is.
    const db = await openDatabase({
      dataDir: options.dataDir,
      database: options.database,
      logger: options.logger,
    });
    try {
      await ensureCacheSchema(db, options.ttlDays);
    } catch (err) {
      await db.close();
      throw err;
    }
    return new CacheStore(db);
  }

  /** Chunk rows (latest version) ending after `sinceMs`, per query key. */
  async loadChunks(sinceMs: number): Promise<Map<string, ChunkRecord[]>> {
    const rows = await this.db.query<ChunkRow>(sql`
${CHUNK_COLUMNS}
      FROM ${this.db.table(CHUNKS_TABLE)} FINAL
      WHERE ChunkEnd > ${new Date(sinceMs)}`);
    const out = new Map<string, ChunkRecord[]>();
    for (const r of rows) {
      const list = out.get(r.QKey) ?? [];
      list.push(toRecord(r));
      out.set(r.QKey, list);
    }
    return out;
  }

  /** Chunks of one query that overlap [startMs, endMs]. */
  async chunksOverlapping(queryKey: string, startMs: number, endMs: number): Promise<ChunkRecord[]> {
    const rows = await this.db.query<ChunkRow>(sql`
${CHUNK_COLUMNS}
      FROM ${this.db.table(CHUNKS_TABLE)} FINAL
      WHERE QueryKey = ${queryKey} AND ChunkEnd > ${new Date(startMs)} AND ChunkStart <= ${new Date(endMs)}`);
    return rows.map(toRecord);
  }

  /**
   * Series of one query with their points at `startMs + k * stepMs` within [startMs, endMs],
   * the last written value per point (FINAL), in the order of their label hash (the same on
   * every read).
   */
  async points(
    queryKey: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    signal?: AbortSignal,
  ): Promise<CachedSeries[]> {
    const statement = sql`
      SELECT p.SeriesHash, s.LabelMap, p.Ts, p.Vals
      FROM (
        SELECT SeriesHash,
          groupArray(toFloat64(toUnixTimestamp64Milli(Timestamp))) AS TsAnyOrder,
          arraySort(TsAnyOrder) AS Ts,
          arraySort((v, t) -> t, groupArray(Value), TsAnyOrder) AS Vals
        FROM ${this.db.table(POINTS_TABLE)} FINAL
        WHERE QueryKey = ${queryKey}
          AND Timestamp >= ${new Date(startMs)} AND Timestamp <= ${new Date(endMs)}
          AND (toUnixTimestamp64Milli(Timestamp) - ${startMs}) % ${stepMs} = 0
        GROUP BY SeriesHash
      ) AS p
      INNER JOIN (
        SELECT SeriesHash, argMax(Labels, LastSeen) AS LabelMap
        FROM ${this.db.table(SERIES_TABLE)}
        WHERE QueryKey = ${queryKey}
        GROUP BY SeriesHash
      ) AS s ON s.SeriesHash = p.SeriesHash
      ORDER BY p.SeriesHash
      FORMAT RowBinary`;
    const reader = new RowBinaryReader(await this.#binary(statement, signal));
    const out: CachedSeries[] = [];
    while (!reader.done) {
      reader.skip(8);
      const labels: Label[] = [];
      for (let n = reader.varUInt(); n > 0; n--)
        labels.push({ name: reader.string(), value: reader.string() });
      labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      out.push(sortByTime(labels, reader.float64Array(), reader.float64Array()));
    }
    return out;
  }

  /** Chunks, points and newest evaluated time per query key. */
  async totals(): Promise<Map<string, StoredTotals>> {
    const rows = await this.db.query<{ QKey: string; chunks: number; points: number; through: number }>(sql`
      SELECT QueryKey AS QKey, count() AS chunks, sum(arraySum(SlotPoints)) AS points,
        max(${ms('ThroughTs')}) AS through
      FROM ${this.db.table(CHUNKS_TABLE)} FINAL
      GROUP BY QueryKey`);
    return new Map(
      rows.map((r) => [
        r.QKey,
        { chunks: Number(r.chunks), points: Number(r.points), throughMs: Number(r.through) },
      ]),
    );
  }

  /**
   * Merges every closed day of points into one part (FINAL also drops the copies that
   * re-evaluation left). Today's partition is left to background merges: it still changes.
   */
  async compact(nowMs: number): Promise<number> {
    const today = new Date(nowMs).toISOString().slice(0, 10).replaceAll('-', '');
    const parts = await this.db.query<{ partition_id: string }>(sql`
      SELECT partition_id FROM system.parts
      WHERE database = ${this.db.database} AND table = ${POINTS_TABLE} AND active
      GROUP BY partition_id HAVING count() > 1 AND partition_id < ${today}`);
    for (const p of parts) {
      await this.db.command(
        sql`OPTIMIZE TABLE ${this.db.table(POINTS_TABLE)} PARTITION ID ${p.partition_id} FINAL`,
      );
    }
    return parts.length;
  }

  close(): Promise<void> {
    return this.db.close();
  }

  /** Runs a statement ending in `FORMAT RowBinary` (the helpers return JSON rows only). */
  async #binary(statement: Sql, signal: AbortSignal | undefined): Promise<Buffer> {
    const { query, params } = compile(statement);
    try {
      const result = await this.db.client.exec({
        query,
        query_params: params,
        ...(signal ? { abort_signal: signal } : {}),
      });
      const chunks: Buffer[] = [];
      for await (const c of result.stream) chunks.push(c as Buffer);
      return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    } catch (err) {
      throw toAppError(err, 'read the metrics cache');
    }
  }
}

function toRecord(r: ChunkRow): ChunkRecord {
  return {
    startMs: Number(r.StartMs),
    endMs: Number(r.EndMs),
    stepMs: Number(r.Step),
    fromMs: Number(r.FromMs),
    throughMs: Number(r.ThroughMs),
    settledThroughMs: Number(r.SettledMs),
    slotPoints: Uint32Array.from(r.Slots),
    sealed: Number(r.IsSealed) === 1,
  };
}

/**
 * groupArray keeps no order after a parallel GROUP BY; the query sorts each series' points by
 * time (arraySort), and this only checks: re-evaluated points can repeat a time, and a series
 * could come back out of order from an older server.
 */
function sortByTime(labels: Label[], ts: Float64Array, values: Float64Array): CachedSeries {
  let sorted = true;
  for (let i = 1; i < ts.length && sorted; i++) if (ts[i]! <= ts[i - 1]!) sorted = false;
  if (sorted) return { labels, timestampsMs: ts, values };
  const order = Array.from(ts.keys()).sort((a, b) => ts[a]! - ts[b]!);
  return {
    labels,
    timestampsMs: Float64Array.from(order, (i) => ts[i]!),
    values: Float64Array.from(order, (i) => values[i]!),
  };
}

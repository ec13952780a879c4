/**
 * Fills the head (recent-samples.ts) from ClickHouse when a store is first used: the samples of
 * the window the head can hold, read once, so a restarted server answers recent selects from
 * memory at once instead of after hours of ingestion.
 */
import type { Database } from '../../connection.ts';
import { sql } from '../../sql.ts';
import { STALE_HIGH, STALE_LOW } from '../insert-plan.ts';
import { readNativeColumns } from '../native-reader.ts';
import { SAMPLES_TABLE, SERIES_TABLE } from '../schema.ts';
import { runBinary } from '../select-series.ts';
import { msParam } from '../time-bounds.ts';
import type { RecentSamples } from './recent-samples.ts';

export async function loadRecent(db: Database, recent: RecentSamples, now = Date.now()): Promise<void> {
  const [stored] = await db.query<{ n: string; newest: string }>(sql`
    SELECT toString(count()) AS n, toString(toUnixTimestamp64Milli(max(Timestamp))) AS newest
    FROM ${db.table(SAMPLES_TABLE)}`);
  if (stored === undefined || Number(stored.n) === 0) {
    recent.start(-Infinity);
    return;
  }
  const newest = Number(stored.newest);
  const [series] = await db.query<{ n: string }>(
    sql`SELECT toString(count()) AS n FROM ${db.table(SERIES_TABLE)}`,
  );
  const fromMs = Math.ceil(now - recent.warmWindowMs(Number(series?.n ?? 0)));
  if (newest < fromMs) {
    // Nothing stored in the window: everything after the newest sample is covered.
    recent.start(newest + 1);
    return;
  }
  // FINAL: of two copies of a sample the last written, as selects return.
  const body = await runBinary(
    db,
    sql`
    SELECT SeriesId, toFloat64(toUnixTimestamp64Milli(Timestamp)) AS T, Value
    FROM ${db.table(SAMPLES_TABLE)} FINAL
    WHERE Timestamp >= ${msParam(fromMs)}
    ORDER BY SeriesId, Timestamp
    FORMAT Native`,
    undefined,
  );
  const { rows, columns } = readNativeColumns(body, ['UInt64', 'Float64', 'Float64']);
  const ids = new BigUint64Array(columns[0]!);
  const idWords = new Uint32Array(columns[0]!);
  const ts = new Float64Array(columns[1]!);
  const values = new Float64Array(columns[2]!);
  const valueWords = new Uint32Array(columns[2]!);
  for (let lo = 0; lo < rows;) {
    let hi = lo + 1;
    while (hi < rows && idWords[2 * hi] === idWords[2 * lo] && idWords[2 * hi + 1] === idWords[2 * lo + 1])
      hi++;
    const stale: number[] = [];
    for (let i = lo; i < hi; i++) {
      if (valueWords[2 * i] === STALE_LOW && valueWords[2 * i + 1] === STALE_HIGH) stale.push(i - lo);
    }
    recent.warm(ids[lo]!, ts.subarray(lo, hi), values.subarray(lo, hi), stale);
    lo = hi;
  }
  recent.start(fromMs);
}

/**
 * The pg_stat_statements part of a scrape: read, diff against the previous snapshot, emit.
 *
 * Without the extension (not installed in the connected database, or installed but not in
 * shared_preload_libraries) the collector emits `pg_stat_statements_available 0` and none of
 * pg_db_queries_per_second, pg_latency_seconds and pg_top_query_*_per_second. With it, those
 * appear from the second scrape on (the first only takes the snapshot).
 */
import type { FamilySet } from './families.ts';
import { latencySummary } from './latency.ts';
import { findStatStatementsSchema, readStatStatements, type Run } from './queries.ts';
import { buildSnapshot, diffSnapshots, topByTime, type StatementsSnapshot } from './statements.ts';

export const TOP_QUERIES = 20;

/** SQLSTATE object_not_in_prerequisite_state: "pg_stat_statements must be loaded via shared_preload_libraries". */
const NOT_LOADED = '55000';

function sqlState(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;
}

/**
 * Emits the statement series and returns the snapshot to keep for the next call (undefined when
 * the extension is unavailable, so that a later install starts from a fresh snapshot).
 */
export async function collectStatements(
  run: Run,
  versionNum: number,
  families: FamilySet,
  previous: StatementsSnapshot | undefined,
): Promise<StatementsSnapshot | undefined> {
  const schema = await findStatStatementsSchema(run);
  if (schema === undefined) {
    families.add('pg_stat_statements_available', 0);
    return undefined;
  }
  let rows;
  try {
    rows = await readStatStatements(run, schema, versionNum);
  } catch (err) {
    if (sqlState(err) !== NOT_LOADED) throw err;
    families.add('pg_stat_statements_available', 0);
    return undefined;
  }
  families.add('pg_stat_statements_available', 1);
  const current = buildSnapshot(rows, performance.now(), previous);
  if (previous === undefined) return current;

  const intervalSeconds = (current.atMs - previous.atMs) / 1000;
  if (intervalSeconds <= 0) return current;
  const deltas = diffSnapshots(previous, current);

  const callsByDb = new Map<string, number>();
  for (const d of deltas) callsByDb.set(d.db, (callsByDb.get(d.db) ?? 0) + d.calls);
  for (const [db, calls] of callsByDb)
    families.add('pg_db_queries_per_second', calls / intervalSeconds, { db });

  for (const [summary, seconds] of latencySummary(deltas))
    families.add('pg_latency_seconds', seconds, { summary });

  for (const d of topByTime(deltas, TOP_QUERIES)) {
    const labels = { db: d.db, user: d.user, query: d.query };
    families.add('pg_top_query_calls_per_second', d.calls / intervalSeconds, labels);
    families.add('pg_top_query_time_per_second', d.timeMs / 1000 / intervalSeconds, labels);
    families.add('pg_top_query_io_time_per_second', d.ioTimeMs / 1000 / intervalSeconds, labels);
  }
  return current;
}

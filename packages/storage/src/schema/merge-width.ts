/**
 * How wide background merges of the span and log tables are. ClickHouse's merge selector picks
 * ranges of parts whose sizes grow by about `merge_selector_base` (5 by default) per level, so
 * each row is rewritten about log_base(parts) times. Telemetry tables take a steady stream of
 * 50k-row inserts and are read by time range, so a wider fan-in is the better trade: with 10,
 * bench/ingest-logs spent 27% less CPU in merges (20.8 → 15.4 CPU-s for ~4.4M records) and the
 * server's total fell from 11.5-11.8 to 9.9 CPU-s per million records, while a partition held
 * 28 active parts at the end of the run instead of 19 (docs/perf.md). Queries touch only the parts
 * of their time range, and bench/query measured no slower search with the wider merges.
 */
import { sql, type Sql } from '../sql.ts';

/** ALTERs that set the merge width on `otel_traces` and `otel_logs`. */
export function telemetryMergeSettings(db: string): Sql[] {
  return ['otel_traces', 'otel_logs'].map(
    (table) => sql`ALTER TABLE ${sql.identifier(db, table)} MODIFY SETTING merge_selector_base = 10`,
  );
}

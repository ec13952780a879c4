/**
 * How wide background merges of the span and log tables are. ClickHouse's merge selector picks
 * ranges of parts whose sizes grow by about `merge_selector_base` (5 by default) per level, so
 * each row is rewritten about log_base(parts) times. Telemetry tables take a steady stream of
 * 50k-row inserts and are read by time range, and the write amplification is paid all day:
 * with 10, bench/ingest-logs spent 27% less CPU in merges (20.8 → 15.4 CPU-s for ~4.4M records)
 * and the server's total fell from 11.5-11.8 to 9.8-9.9 CPU-s per million records. The price,
 * measured with bench/query on the same machine (10M spans + 10M logs, merges settled): 14 and 15
 * parts instead of 11 and 10, trace searches and 24-hour log searches unchanged, 1-hour log
 * searches 45-60% slower (p95 11.5 → 17.6, 42.5 → 56.3, 54.8 → 79.2 ms; docs/perf.md).
 */
import { sql, type Sql } from '../sql.ts';

/** ALTERs that set the merge width on `otel_traces` and `otel_logs`. */
export function telemetryMergeSettings(db: string): Sql[] {
  return ['otel_traces', 'otel_logs'].map(
    (table) => sql`ALTER TABLE ${sql.identifier(db, table)} MODIFY SETTING merge_selector_base = 10`,
  );
}

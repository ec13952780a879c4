/**
 * Which services sent telemetry in a time range, across spans and logs.
 */
import type { ServiceSeen } from '@vigil/spec';
import type { Database } from './connection.ts';
import { timeWindow, toNumber } from './filters.ts';
import { sql } from './sql.ts';

const SIGNAL_ORDER = ['traces', 'logs'] as const;

/** Services with a span or log record in [fromMs, toMs), by name, with their newest timestamp. */
export async function listServices(db: Database, fromMs: number, toMs: number): Promise<ServiceSeen[]> {
  if (!(toMs > fromMs)) return [];
  const window = timeWindow(sql`Timestamp`, fromMs, toMs);
  // ServiceName leads both sort keys, so each branch reads little more than the key columns.
  const rows = await db.query<{ name: string; lastSeenMs: number | string; signals: string[] }>(sql`
    SELECT name, max(lastMs) AS lastSeenMs, groupUniqArray(signal) AS signals
    FROM (
      SELECT ServiceName AS name, toUnixTimestamp64Milli(max(Timestamp)) AS lastMs, 'traces' AS signal
      FROM ${db.table('otel_traces')} WHERE ${window} AND ServiceName != '' GROUP BY ServiceName
      UNION ALL
      SELECT ServiceName AS name, toUnixTimestamp64Milli(max(Timestamp)) AS lastMs, 'logs' AS signal
      FROM ${db.table('otel_logs')} WHERE ${window} AND ServiceName != '' GROUP BY ServiceName
    )
    GROUP BY name
    ORDER BY name`);
  return rows.map((r) => ({
    name: r.name,
    lastSeenMs: toNumber(r.lastSeenMs),
    signals: SIGNAL_ORDER.filter((s) => r.signals.includes(s)),
  }));
}

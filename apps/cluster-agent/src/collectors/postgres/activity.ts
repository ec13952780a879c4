/**
 * pg_stat_activity rows → `pg_connections` and `pg_lock_awaiting_queries` series.
 *
 * A session waiting on a lock is counted against the session blocking it: the series carries the
 * blocker's db, user and (obfuscated) query, which for an idle-in-transaction blocker is the last
 * statement it ran, typically the one that took the lock.
 */
import type { ActivityRow } from './queries.ts';
import { obfuscateQuery } from './obfuscate.ts';

export interface CountedSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface ActivitySeries {
  readonly connections: CountedSeries[];
  readonly lockAwaiting: CountedSeries[];
}

/** The query a session is (or, idle in a transaction, was last) running; '' when idle. */
function sessionQuery(row: ActivityRow): string {
  const state = row.state ?? '';
  if (state !== 'active' && !state.startsWith('idle in transaction')) return '';
  return obfuscateQuery(row.query ?? '');
}

function countBy(counts: Map<string, CountedSeries>, labels: Record<string, string>): void {
  const key = JSON.stringify(labels);
  const seen = counts.get(key);
  counts.set(key, { labels, value: (seen?.value ?? 0) + 1 });
}

export function activitySeries(rows: readonly ActivityRow[]): ActivitySeries {
  const connections = new Map<string, CountedSeries>();
  const byPid = new Map<number, { db: string; user: string; query: string }>();
  for (const row of rows) {
    const query = sessionQuery(row);
    byPid.set(row.pid, { db: row.db, user: row.user, query });
    countBy(connections, {
      db: row.db,
      user: row.user,
      state: row.state ?? '',
      wait_event_type: row.wait_event_type ?? '',
      query,
    });
  }
  const lockAwaiting = new Map<string, CountedSeries>();
  for (const row of rows) {
    if (row.blocking_pid === null) continue;
    const blocker = byPid.get(row.blocking_pid);
    // A blocker that is not a client backend (autovacuum, a prepared transaction) has no row.
    if (blocker === undefined) continue;
    countBy(lockAwaiting, { db: blocker.db, user: blocker.user, blocking_query: blocker.query });
  }
  return { connections: [...connections.values()], lockAwaiting: [...lockAwaiting.values()] };
}

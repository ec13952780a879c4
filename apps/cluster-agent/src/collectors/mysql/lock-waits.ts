/**
 * InnoDB lock waits → `mysql_lock_awaiting_queries`: the number of transactions waiting, counted
 * against the transaction holding the lock (its schema, user and obfuscated query). A waiter held
 * up by several locks of one holder counts once.
 *
 * `blocking_query` is the holder's current statement, or with performance_schema (and the
 * events_statements_current consumer) the last statement it ran; without either (a holder idle
 * in its transaction on a server without performance_schema) it is ''.
 */
import { obfuscateMysqlQuery } from './obfuscate.ts';
import type { LockWaitRow } from './queries.ts';

export interface CountedSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export function lockAwaitingSeries(rows: readonly LockWaitRow[]): CountedSeries[] {
  const waitersByHolder = new Map<string, { labels: Record<string, string>; waiters: Set<string> }>();
  for (const row of rows) {
    const labels = { schema: row.schema, user: row.user, blocking_query: obfuscateMysqlQuery(row.query) };
    const k = JSON.stringify(labels);
    let group = waitersByHolder.get(k);
    if (group === undefined) {
      group = { labels, waiters: new Set() };
      waitersByHolder.set(k, group);
    }
    group.waiters.add(row.waitingTrx);
  }
  return [...waitersByHolder.values()].map((g) => ({ labels: g.labels, value: g.waiters.size }));
}

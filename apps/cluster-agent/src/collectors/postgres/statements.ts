/**
 * pg_stat_statements counters only grow (per server, per statement), so what happened during a
 * scrape interval is the difference between two snapshots. This file keeps the snapshot and
 * computes the differences; it knows nothing about the connection.
 *
 *   snapshot t0 ──────── interval ──────── snapshot t1
 *   calls 100                               calls 120   → 20 calls in the interval
 *   calls 100                               calls 7     → reset in between: 7 calls (treated as new)
 *   (absent)                                calls 5     → new statement: 5 calls
 */
import { obfuscateQuery } from './obfuscate.ts';

/** One row of pg_stat_statements as read (times in milliseconds, as the view has them). */
export interface StatementRow {
  readonly db: string;
  readonly user: string;
  readonly queryId: string;
  readonly query: string;
  readonly calls: number;
  readonly totalTimeMs: number;
  readonly ioTimeMs: number;
}

export interface StatementsSnapshot {
  /** Monotonic clock (performance.now()) at the time the snapshot was read. */
  readonly atMs: number;
  /** By (db, user, query id); `query` is already obfuscated. */
  readonly statements: ReadonlyMap<string, StatementRow>;
}

/** What a (db, user, obfuscated query) did during the interval. */
export interface StatementDelta {
  readonly db: string;
  readonly user: string;
  readonly query: string;
  readonly calls: number;
  readonly timeMs: number;
  readonly ioTimeMs: number;
}

const statementKey = (r: Pick<StatementRow, 'db' | 'user' | 'queryId'>): string =>
  `${r.db}\u0000${r.user}\u0000${r.queryId}`;

/**
 * A snapshot from freshly read rows. Obfuscation is done once per statement: a statement already
 * in `previous` keeps its obfuscated text.
 */
export function buildSnapshot(
  rows: readonly StatementRow[],
  atMs: number,
  previous?: StatementsSnapshot,
): StatementsSnapshot {
  const statements = new Map<string, StatementRow>();
  for (const row of rows) {
    const key = statementKey(row);
    const known = previous?.statements.get(key);
    statements.set(key, { ...row, query: known?.query ?? obfuscateQuery(row.query) });
  }
  return { atMs, statements };
}

/**
 * What happened between `previous` and `current`, summed per (db, user, obfuscated query) since
 * several query ids can obfuscate to the same text. A statement whose calls went down (the
 * statistics were reset, or the entry was evicted and came back) or that is new counts from zero.
 * Statements without calls in the interval are left out.
 */
export function diffSnapshots(previous: StatementsSnapshot, current: StatementsSnapshot): StatementDelta[] {
  const byLabels = new Map<string, { -readonly [K in keyof StatementDelta]: StatementDelta[K] }>();
  for (const [key, now] of current.statements) {
    const before = previous.statements.get(key);
    const fresh = before === undefined || now.calls < before.calls;
    const calls = fresh ? now.calls : now.calls - before.calls;
    if (calls <= 0) continue;
    // Times can drift down slightly with float sums; never report negative time.
    const timeMs = Math.max(0, fresh ? now.totalTimeMs : now.totalTimeMs - before.totalTimeMs);
    const ioTimeMs = Math.max(0, fresh ? now.ioTimeMs : now.ioTimeMs - before.ioTimeMs);
    const labelsKey = `${now.db}\u0000${now.user}\u0000${now.query}`;
    const sum = byLabels.get(labelsKey);
    if (sum === undefined) {
      byLabels.set(labelsKey, { db: now.db, user: now.user, query: now.query, calls, timeMs, ioTimeMs });
    } else {
      sum.calls += calls;
      sum.timeMs += timeMs;
      sum.ioTimeMs += ioTimeMs;
    }
  }
  return [...byLabels.values()];
}

/** The `n` deltas with the most execution time, most first. */
export function topByTime(deltas: readonly StatementDelta[], n: number): StatementDelta[] {
  return [...deltas].sort((a, b) => b.timeMs - a.timeMs).slice(0, n);
}

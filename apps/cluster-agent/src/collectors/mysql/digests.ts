/**
 * performance_schema summary tables only grow (until TRUNCATE or a restart), so what happened
 * during a scrape interval is the difference between two snapshots. This file keeps the snapshots
 * and computes the differences; it knows nothing about the connection.
 *
 *   snapshot t0 ──────── interval ──────── snapshot t1
 *   calls 100                               calls 120   → 20 calls in the interval
 *   calls 100                               calls 7     → truncated in between: 7 calls (new)
 *   (absent)                                calls 5     → new digest: 5 calls
 *
 * Timers are in picoseconds, as performance_schema has them.
 */
import { obfuscateMysqlQuery } from './obfuscate.ts';

export const PICOSECONDS_PER_SECOND = 1e12;

/** One row of events_statements_summary_by_digest as read. */
export interface DigestRow {
  readonly schema: string;
  readonly digest: string;
  /** DIGEST_TEXT; obfuscated once it is in a snapshot. */
  readonly query: string;
  readonly calls: number;
  readonly timePs: number;
  readonly lockTimePs: number;
}

/** One row of table_io_waits_summary_by_table as read. */
export interface TableIoRow {
  readonly schema: string;
  readonly table: string;
  readonly readPs: number;
  readonly writePs: number;
}

export interface Snapshot<R> {
  /** Monotonic clock (performance.now()) at the time the snapshot was read. */
  readonly atMs: number;
  readonly rows: ReadonlyMap<string, R>;
}

export type DigestSnapshot = Snapshot<DigestRow>;
export type TableIoSnapshot = Snapshot<TableIoRow>;

/** What a (schema, obfuscated query) did during the interval. */
export interface DigestDelta {
  readonly schema: string;
  readonly query: string;
  readonly calls: number;
  readonly timePs: number;
  readonly lockTimePs: number;
}

export interface TableIoDelta {
  readonly schema: string;
  readonly table: string;
  readonly readPs: number;
  readonly writePs: number;
}

const key = (...parts: string[]): string => parts.join('\u0000');

/** A snapshot of digests; a digest already in `previous` keeps its obfuscated text. */
export function digestSnapshot(
  rows: readonly DigestRow[],
  atMs: number,
  previous?: DigestSnapshot,
): DigestSnapshot {
  const byKey = new Map<string, DigestRow>();
  for (const row of rows) {
    const k = key(row.schema, row.digest);
    const known = previous?.rows.get(k);
    byKey.set(k, { ...row, query: known?.query ?? obfuscateMysqlQuery(row.query) });
  }
  return { atMs, rows: byKey };
}

export function tableIoSnapshot(rows: readonly TableIoRow[], atMs: number): TableIoSnapshot {
  return { atMs, rows: new Map(rows.map((r) => [key(r.schema, r.table), r])) };
}

/** A counter's growth; a counter that went down was reset, and counts from zero. */
const growth = (now: number, before: number | undefined): number =>
  before === undefined || now < before ? now : now - before;

/**
 * What happened between `previous` and `current`, summed per (schema, obfuscated query) since
 * several digests can obfuscate to the same text. A digest whose calls went down (the table was
 * truncated, or the digest was evicted and came back) or that is new counts from zero. Digests
 * without calls in the interval are left out.
 */
export function diffDigests(previous: DigestSnapshot, current: DigestSnapshot): DigestDelta[] {
  const byLabels = new Map<string, { -readonly [K in keyof DigestDelta]: DigestDelta[K] }>();
  for (const [k, now] of current.rows) {
    const before = previous.rows.get(k);
    const fresh = before === undefined || now.calls < before.calls;
    const calls = fresh ? now.calls : now.calls - before.calls;
    if (calls <= 0) continue;
    const timePs = growth(now.timePs, fresh ? undefined : before.timePs);
    const lockTimePs = growth(now.lockTimePs, fresh ? undefined : before.lockTimePs);
    const labelsKey = key(now.schema, now.query);
    const sum = byLabels.get(labelsKey);
    if (sum === undefined) {
      byLabels.set(labelsKey, { schema: now.schema, query: now.query, calls, timePs, lockTimePs });
    } else {
      sum.calls += calls;
      sum.timePs += timePs;
      sum.lockTimePs += lockTimePs;
    }
  }
  return [...byLabels.values()];
}

/** Table I/O wait time between `previous` and `current`; tables without any are left out. */
export function diffTableIo(previous: TableIoSnapshot, current: TableIoSnapshot): TableIoDelta[] {
  const deltas: TableIoDelta[] = [];
  for (const [k, now] of current.rows) {
    const before = previous.rows.get(k);
    // Both timers are reset together (TRUNCATE, a table dropped and created again).
    const reset = before !== undefined && (now.readPs < before.readPs || now.writePs < before.writePs);
    const readPs = reset ? now.readPs : growth(now.readPs, before?.readPs);
    const writePs = reset ? now.writePs : growth(now.writePs, before?.writePs);
    if (readPs + writePs > 0) deltas.push({ schema: now.schema, table: now.table, readPs, writePs });
  }
  return deltas;
}

/** The `n` items with the most of `by`, most first. */
export function topBy<T>(items: readonly T[], by: (item: T) => number, n: number): T[] {
  return [...items].sort((a, b) => by(b) - by(a)).slice(0, n);
}

/**
 * Why a query takes the time it takes. chDB has no system.query_log, so instead: run the store
 * call once against a recording Database to capture the exact statements it issues, then for each
 * statement take ClickHouse's read counters (system.events deltas: rows, bytes, granules) and the
 * index analysis of `EXPLAIN indexes = 1` (parts and granules left after each index).
 */
import { compile, sql, type Database, type Sql } from '@vigil/storage';

export interface StatementDiagnosis {
  /** First line of the statement, enough to tell which step of a store call it is. */
  statement: string;
  elapsedMs: number;
  /** Rows, uncompressed bytes and granules (marks) the statement selected to read. */
  readRows: number;
  readBytes: number;
  readGranules: number;
  /** One line per index step: `PrimaryKey (…): 12/1221 granules`. */
  indexes: string[];
}

/** A Database that remembers every SELECT it runs (inserts and commands pass through). */
export function recordingDatabase(db: Database): { db: Database; statements: Sql[] } {
  const statements: Sql[] = [];
  return {
    statements,
    db: {
      ...db,
      query: <T>(statement: Sql, options?: Parameters<Database['query']>[1]): Promise<T[]> => {
        statements.push(statement);
        return db.query<T>(statement, options);
      },
    },
  };
}

/**
 * Condenses EXPLAIN indexes = 1 into one line per index step, e.g.
 * `PrimaryKey: parts 1/1, granules 12/13` or `Skip idx_trace_id: parts 1/1, granules 5/12`.
 */
export function summarizeExplain(lines: readonly string[]): string[] {
  const out: string[] = [];
  let current: { step: string; detail: string[] } | undefined;
  const flush = (): void => {
    if (current?.detail.length) out.push(`${current.step}: ${current.detail.join(', ')}`);
    current = undefined;
  };
  for (const raw of lines) {
    const line = raw.replace(/^[\s│└─├]+/, '').trim();
    if (/^(Min-Max|MinMax|Partition|PrimaryKey|Skip|Ranges:|ReadFromMergeTree)/.test(line)) {
      flush();
      if (!line.startsWith('Ranges:') && !line.startsWith('ReadFromMergeTree'))
        current = { step: line, detail: [] };
      continue;
    }
    if (!current) continue;
    const name = /^Name: (\S+)/.exec(line);
    if (name) current.step += ` ${name[1]}`;
    const count = /^(Parts|Granules): (\d+\/\d+)/.exec(line);
    if (count) current.detail.push(`${count[1]!.toLowerCase()} ${count[2]}`);
  }
  flush();
  return out;
}

// Server-wide counters; between two reads only the diagnosed statement runs a SELECT on our data
// (background merges do not count as selected rows).
const COUNTERS = ['SelectedRows', 'SelectedBytes', 'SelectedMarks', 'SelectedParts'] as const;

async function counters(db: Database): Promise<Record<string, number>> {
  const rows = await db.query<{ event: string; value: number | string }>(
    sql`SELECT event, value FROM system.events WHERE event IN ${[...COUNTERS]}`,
  );
  return Object.fromEntries(rows.map((r) => [r.event, Number(r.value)]));
}

async function readCounters(
  db: Database,
  statement: Sql,
): Promise<{ ms: number; rows: number; bytes: number; marks: number }> {
  const before = await counters(db);
  const t0 = performance.now();
  await db.query(statement);
  const ms = performance.now() - t0;
  const after = await counters(db);
  // The counter query itself reads system.events (one small in-memory table): close enough.
  const delta = (k: string): number => (after[k] ?? 0) - (before[k] ?? 0);
  return { ms, rows: delta('SelectedRows'), bytes: delta('SelectedBytes'), marks: delta('SelectedMarks') };
}

/** Runs `call` once on a recording database and diagnoses each statement it issued. */
export async function diagnose(
  db: Database,
  call: (recording: Database) => Promise<unknown>,
): Promise<StatementDiagnosis[]> {
  const rec = recordingDatabase(db);
  await call(rec.db);
  const out: StatementDiagnosis[] = [];
  for (const statement of rec.statements) {
    const c = await readCounters(db, statement);
    const explain = await db.query<{ explain: string }>(sql`EXPLAIN indexes = 1 ${statement}`);
    out.push({
      statement: compile(statement).query.replace(/\s+/g, ' ').trim().slice(0, 160),
      elapsedMs: Math.round(c.ms * 10) / 10,
      readRows: c.rows,
      readBytes: c.bytes,
      readGranules: c.marks,
      indexes: summarizeExplain(explain.map((e) => e.explain)),
    });
  }
  return out;
}

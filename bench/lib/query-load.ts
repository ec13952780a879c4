/**
 * Loads the query benchmark's data: generator batches encoded with the TSV encoders and written
 * with `insertRaw` into the migrated tables. (The server inserts Native chunks; the rows stored
 * are the same, native-insert.int.test.ts compares them, and only the queries are measured here.)
 * Generation of batch k+1 overlaps the insert of batch k (chDB parses on its own threads), so
 * the figure is bounded by the slower of the two rather than their sum.
 */
import { SyntheticLogSource, SyntheticSpanSource } from '@vigil/testkit';
import { encodeLogsTsv, encodeSpansTsv, LOG_COLUMNS, SPAN_COLUMNS, type Database } from '@vigil/storage';

export const DAY_NS = 86_400_000_000_000n;

export interface LoadResult {
  table: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** Time spent generating and encoding in JS, of `seconds`. */
  encodeSeconds: number;
  /** Time spent waiting for inserts to finish, of `seconds`. */
  insertWaitSeconds: number;
}

interface Source<T> {
  next(n: number): T[];
}

async function load<T>(
  db: Database,
  table: string,
  columns: readonly string[],
  source: Source<T>,
  encode: (batch: T[]) => Buffer,
  batchSize: number,
  progress: (rows: number) => void,
): Promise<LoadResult> {
  const t0 = performance.now();
  let rows = 0;
  let encodeMs = 0;
  let waitMs = 0;
  let inFlight: Promise<void> | undefined;
  for (;;) {
    const e0 = performance.now();
    const batch = source.next(batchSize);
    const body = batch.length > 0 ? encode(batch) : undefined;
    encodeMs += performance.now() - e0;
    const w0 = performance.now();
    await inFlight;
    waitMs += performance.now() - w0;
    if (!body) break;
    rows += batch.length;
    inFlight = db.insertRaw(table, columns, 'TSV', body);
    progress(rows);
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    table,
    rows,
    seconds: Math.round(seconds * 10) / 10,
    rowsPerSecond: Math.round(rows / seconds),
    encodeSeconds: Math.round(encodeMs / 100) / 10,
    insertWaitSeconds: Math.round(waitMs / 100) / 10,
  };
}

/** `spans` spans (seed 1) and `logs` log records (seed 2) over the 24 h from `startNs`. */
export async function loadTelemetry(
  db: Database,
  counts: { spans: number; logs: number },
  startNs: bigint,
  batchSize: number,
  log: (line: string) => void,
): Promise<LoadResult[]> {
  const options = { rangeNs: DAY_NS };
  const report = (what: string, total: number) => {
    let next = 0;
    return (rows: number): void => {
      if (rows < next && rows < total) return;
      next += Math.max(batchSize, Math.floor(total / 10));
      log(`  ${what}: ${rows.toLocaleString('en')} / ${total.toLocaleString('en')}`);
    };
  };
  const spans = await load(
    db,
    'otel_traces',
    SPAN_COLUMNS,
    new SyntheticSpanSource(counts.spans, 1, startNs, options),
    encodeSpansTsv,
    batchSize,
    report('spans', counts.spans),
  );
  const logs = await load(
    db,
    'otel_logs',
    LOG_COLUMNS,
    new SyntheticLogSource(counts.logs, 2, startNs, options),
    encodeLogsTsv,
    batchSize,
    report('logs', counts.logs),
  );
  return [spans, logs];
}

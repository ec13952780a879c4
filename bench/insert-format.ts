/**
 * Which text format inserts spans and logs faster end to end on embedded chDB: encode in JS +
 * insert (parse, compress, write, materialized view). 50k records per batch, median of 5 rounds
 * after a warm-up. Run: node --import tsx packages/storage/bench/insert-format.ts
 */
import { cpus, totalmem } from 'node:os';
import { makeTempDir, syntheticLogs, syntheticSpans } from '@vigil/testkit';
import {
  encodeLogsJson,
  encodeLogsTsv,
  encodeSpansJson,
  encodeSpansTsv,
  LOG_COLUMNS,
  openDatabase,
  runMigrations,
  SPAN_COLUMNS,
  type InsertFormat,
} from '@vigil/storage';

const BATCH = 50_000;
const ROUNDS = 5;
const temp = makeTempDir('vigil-bench-');
const db = await openDatabase({ dataDir: temp.dir, database: 'bench_insert_format' });
await runMigrations(db);
const startNs = BigInt(Date.now() - 3_600_000) * 1_000_000n;
const spans = syntheticSpans(BATCH, 1, startNs);
const logs = syntheticLogs(BATCH, 2, startNs);
const attrs = spans.reduce((n, s) => n + Object.keys(s.attributes).length, 0) / spans.length;

const cases: Array<[string, () => Buffer, string, readonly string[], InsertFormat]> = [
  ['spans TSV', () => encodeSpansTsv(spans), 'otel_traces', SPAN_COLUMNS, 'TSV'],
  ['spans JSONEachRow', () => encodeSpansJson(spans), 'otel_traces', SPAN_COLUMNS, 'JSONEachRow'],
  ['logs TSV', () => encodeLogsTsv(logs), 'otel_logs', LOG_COLUMNS, 'TSV'],
  ['logs JSONEachRow', () => encodeLogsJson(logs), 'otel_logs', LOG_COLUMNS, 'JSONEachRow'],
];
const timings = new Map<string, { encode: number[]; insert: number[]; bytes: number }>();
for (let round = 0; round <= ROUNDS; round++) {
  // Interleaved, so drift (merges, page cache) hits every format alike.
  for (const [name, encode, table, columns, format] of cases) {
    const t0 = performance.now();
    const body = encode();
    const t1 = performance.now();
    await db.insertRaw(table, columns, format, body);
    const t2 = performance.now();
    const entry = timings.get(name) ?? { encode: [], insert: [], bytes: body.length };
    timings.set(name, entry);
    if (round > 0) {
      entry.encode.push(t1 - t0);
      entry.insert.push(t2 - t1);
    }
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
process.stdout.write(
  `# ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; ${BATCH} records/batch, ${attrs.toFixed(1)} span attributes avg\n`,
);
for (const [name, t] of timings) {
  const encode = median(t.encode);
  const insert = median(t.insert);
  process.stdout.write(
    `${name.padEnd(18)} body ${(t.bytes / 1e6).toFixed(1)} MB  encode ${encode.toFixed(0)} ms  insert ${insert.toFixed(0)} ms  ` +
      `total ${(encode + insert).toFixed(0)} ms  ${Math.round(BATCH / ((encode + insert) / 1000))} records/s\n`,
  );
}
await db.close();
temp.cleanup();

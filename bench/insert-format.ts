/**
 * Which format inserts spans and logs cheapest end to end on embedded chDB: encode in JS +
 * insert (parse, compress, write, materialized view). 50k records per batch, median of 5 rounds
 * after a warm-up; CPU is this process's (all threads, chDB's included), so it counts the
 * engine's parsing and part writing as well as the JS encoder (merges stopped, see below).
 * Run: node --import tsx bench/insert-format.ts
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { makeTempDir, syntheticLogs, syntheticSpans } from '@vigil/testkit';
import {
  encodeLogsJson,
  encodeLogsNative,
  encodeLogsTsv,
  encodeSpansJson,
  encodeSpansNative,
  encodeSpansTsv,
  LOG_COLUMNS,
  LOG_NATIVE_COLUMNS,
  openDatabase,
  runMigrations,
  SPAN_COLUMNS,
  SPAN_NATIVE_COLUMNS,
  sql,
  type Database,
} from '@vigil/storage';

const BATCH = 50_000;
const ROUNDS = 5;

interface Case {
  name: string;
  encode: () => Buffer;
  insert: (db: Database, body: Buffer) => Promise<void>;
}

interface Timing {
  encodeMs: number[];
  insertMs: number[];
  encodeCpuMs: number[];
  insertCpuMs: number[];
  bytes: number;
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const temp = makeTempDir('vigil-bench-');
const db = await openDatabase({ dataDir: temp.dir, database: 'bench_insert_format' });
await runMigrations(db);
// Background merges run in this process and would land on whichever insert is running; the same
// rows merge the same whatever format brought them, so they are left out of the comparison.
for (const table of ['otel_traces', 'otel_logs'])
  await db.command(sql`SYSTEM STOP MERGES ${db.table(table)}`);
const startNs = BigInt(Date.now() - 3_600_000) * 1_000_000n;
const spans = syntheticSpans(BATCH, 1, startNs);
const logs = syntheticLogs(BATCH, 2, startNs);
const attrs = spans.reduce((n, s) => n + Object.keys(s.attributes).length, 0) / spans.length;

const cases: Case[] = [
  {
    name: 'spans TSV',
    encode: () => encodeSpansTsv(spans),
    insert: (d, body) => d.insertRaw('otel_traces', SPAN_COLUMNS, 'TSV', body),
  },
  {
    name: 'spans JSONEachRow',
    encode: () => encodeSpansJson(spans),
    insert: (d, body) => d.insertRaw('otel_traces', SPAN_COLUMNS, 'JSONEachRow', body),
  },
  {
    name: 'spans Native',
    encode: () => encodeSpansNative(spans),
    insert: (d, body) => d.insertNative('otel_traces', SPAN_NATIVE_COLUMNS, body),
  },
  {
    name: 'logs TSV',
    encode: () => encodeLogsTsv(logs),
    insert: (d, body) => d.insertRaw('otel_logs', LOG_COLUMNS, 'TSV', body),
  },
  {
    name: 'logs JSONEachRow',
    encode: () => encodeLogsJson(logs),
    insert: (d, body) => d.insertRaw('otel_logs', LOG_COLUMNS, 'JSONEachRow', body),
  },
  {
    name: 'logs Native',
    encode: () => encodeLogsNative(logs),
    insert: (d, body) => d.insertNative('otel_logs', LOG_NATIVE_COLUMNS, body),
  },
];

const load = loadavg().map((l) => l.toFixed(2));
const timings = new Map<string, Timing>();
for (let round = 0; round <= ROUNDS; round++) {
  // Interleaved, so drift (merges, page cache, other processes) hits every format alike.
  for (const c of cases) {
    const t0 = performance.now();
    const c0 = cpuMs();
    const body = c.encode();
    const t1 = performance.now();
    const c1 = cpuMs();
    await c.insert(db, body);
    const t2 = performance.now();
    const c2 = cpuMs();
    const entry = timings.get(c.name) ?? {
      encodeMs: [],
      insertMs: [],
      encodeCpuMs: [],
      insertCpuMs: [],
      bytes: body.length,
    };
    timings.set(c.name, entry);
    if (round === 0) continue; // warm-up
    entry.encodeMs.push(t1 - t0);
    entry.insertMs.push(t2 - t1);
    entry.encodeCpuMs.push(c1 - c0);
    entry.insertCpuMs.push(c2 - c1);
  }
}

process.stdout.write(
  `# ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, load average at start ${load.join(' ')}, ` +
    `now ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; ${BATCH} records/batch, ${attrs.toFixed(1)} span attributes avg, median of ${ROUNDS}\n`,
);
process.stdout.write(
  '# wall ms: encode + insert = total; CPU ms (all threads): encode + insert; CPU-s per million records\n',
);
for (const [name, t] of timings) {
  const encode = median(t.encodeMs);
  const insert = median(t.insertMs);
  const cpu = median(t.encodeCpuMs) + median(t.insertCpuMs);
  process.stdout.write(
    `${name.padEnd(18)} body ${(t.bytes / 1e6).toFixed(1).padStart(4)} MB  ` +
      `wall ${encode.toFixed(0)} + ${insert.toFixed(0)} = ${(encode + insert).toFixed(0).padStart(4)} ms  ` +
      `${String(Math.round(BATCH / ((encode + insert) / 1000))).padStart(6)} records/s  ` +
      `CPU ${median(t.encodeCpuMs).toFixed(0)} + ${median(t.insertCpuMs).toFixed(0)} ms = ` +
      `${((cpu / 1000 / BATCH) * 1e6).toFixed(1)} CPU-s/M\n`,
  );
}
await db.close();
temp.cleanup();

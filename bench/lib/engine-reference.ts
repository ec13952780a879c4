/**
 * The engine's own insert limit for the benchmark's rows, run as a child process because chDB
 * binds one data directory per process (the parent has the server's open to count rows).
 *
 * Same rows in the same order (rebuilt from the workload parameters, through the OTLP encoder
 * and the server's decoder), same table layout (`runMigrations` in fresh databases, materialized
 * view included), same batch size as the server's write buffer:
 *
 *   native  each batch is exported once as a Native file; timed: INSERT … SELECT * FROM
 *           file(<batch>, 'Native'), round robin: no parsing, the engine's fastest input path
 *   tsv     what the server does per batch: encodeSpansTsv/encodeLogsTsv + Database.insertRaw
 *
 * Each phase runs until it has inserted `targetRows` or `maxSeconds` passed.
 * Usage (from run-ingest-bench.ts): node --import tsx bench/lib/engine-reference.ts '<json EngineJob>'
 * Prints one JSON line (EngineResult) on stdout.
 */
import { createWriteStream, statSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { decodeLogsProtobuf, decodeTracesProtobuf, type LogRecord, type SpanRecord } from '@vigil/protocols';
import {
  compile,
  encodeLogsTsv,
  encodeSpansTsv,
  openDatabase,
  runMigrations,
  sql,
  type Database,
} from '@vigil/storage';
import { makeTempDir } from '@vigil/testkit';
import { machineBusyCpuSeconds } from './proc-stats.ts';
import { encodeBodies, makeRecords, SIGNALS, type WorkloadParams } from './workload.ts';

export interface EngineJob {
  workload: WorkloadParams;
  targetRows: number;
  maxSeconds: number;
  batchItems: number;
}

export interface PhaseResult {
  rows: number;
  seconds: number;
  /** CPU-seconds of this process (all threads, so chDB's too). */
  cpuSeconds: number;
  rowsPerSecond: number;
  cpuSecondsPerMillion: number;
  /** Share of the machine's cores other processes kept busy meanwhile (0 on an idle machine). */
  othersShare: number;
}

export interface EngineResult {
  batchItems: number;
  native: PhaseResult & { bytesPerRow: number };
  /** `encodeSeconds` is the part of `seconds` spent in the JS encoder. */
  tsv: PhaseResult & { encodeSeconds: number; bytesPerRow: number };
  peakRssBytes: number;
}

const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Runs `insert(i)` for batch i = 0, 1, 2, … round robin until the row or time budget is spent. */
async function timed(
  batches: readonly number[],
  job: EngineJob,
  insert: (batch: number) => Promise<void>,
): Promise<PhaseResult> {
  const t0 = performance.now();
  const c0 = cpuSeconds();
  const busy0 = machineBusyCpuSeconds();
  let rows = 0;
  for (let i = 0; rows < job.targetRows && performance.now() - t0 < job.maxSeconds * 1000; i++) {
    const batch = i % batches.length;
    await insert(batch);
    rows += batches[batch]!;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds() - c0;
  const others = Math.max(0, machineBusyCpuSeconds() - busy0 - cpu) / (seconds * cpus().length);
  return {
    rows,
    seconds,
    cpuSeconds: cpu,
    rowsPerSecond: rows / seconds,
    cpuSecondsPerMillion: (cpu / rows) * 1e6,
    othersShare: others,
  };
}

async function count(db: Database, table: string): Promise<number> {
  const [row] = await db.query<{ n: number | string }>(sql`SELECT count() AS n FROM ${db.table(table)}`);
  return Number(row?.n);
}

async function main(job: EngineJob): Promise<EngineResult> {
  const spec = SIGNALS[job.workload.signal];
  // Through our encoder and the server's decoder, so rows come in the order the server gets them.
  const w = job.workload;
  const bodies = encodeBodies(w.signal, makeRecords(w), w.itemsPerBody);
  const records: Array<SpanRecord | LogRecord> = [];
  for (const b of bodies)
    records.push(...(w.signal === 'traces' ? decodeTracesProtobuf(b) : decodeLogsProtobuf(b)));
  const batches: Array<SpanRecord[] | LogRecord[]> = [];
  for (let i = 0; i < records.length; i += job.batchItems) {
    batches.push(records.slice(i, i + job.batchItems) as SpanRecord[] | LogRecord[]);
  }
  const sizes = batches.map((b) => b.length);
  const encode = (batch: SpanRecord[] | LogRecord[]): Buffer =>
    spec.signal === 'traces' ? encodeSpansTsv(batch as SpanRecord[]) : encodeLogsTsv(batch as LogRecord[]);

  const temp = makeTempDir('vigil-bench-engine-');
  try {
    const open = async (database: string): Promise<Database> => {
      const db = await openDatabase({ dataDir: temp.dir, database });
      await runMigrations(db);
      return db;
    };
    const native = await open('bench_native');
    const tsv = await open('bench_tsv');
    // A Memory table keeps rows in insert order; a MergeTree stage would hand the timed insert
    // rows already sorted by the table's key, which makes its sort unrealistically cheap.
    const stage = await openDatabase({ dataDir: temp.dir, database: 'bench_stage' });
    const staged = stage.table('rows');
    await stage.command(sql`CREATE TABLE ${staged} AS ${native.table(spec.table)} ENGINE = Memory`);

    // One Native file per batch: stage the batch, export it as the engine writes it.
    const files: string[] = [];
    let nativeBytes = 0;
    for (const [i, batch] of batches.entries()) {
      await stage.command(sql`TRUNCATE TABLE ${staged}`);
      await stage.insertRaw('rows', spec.columns, 'TSV', encode(batch));
      const file = path.join(temp.dir, `batch-${i}.native`);
      const { query, params } = compile(sql`SELECT * FROM ${staged} FORMAT Native`);
      const result = await stage.client.exec({ query, query_params: params });
      await pipeline(result.stream, createWriteStream(file));
      nativeBytes += statSync(file).size;
      files.push(file);
    }

    const nativePhase = await timed(sizes, job, (b) =>
      native.command(sql`INSERT INTO ${native.table(spec.table)} SELECT * FROM file(${files[b]!}, 'Native')`),
    );
    let encodeMs = 0;
    let tsvBytes = 0;
    const tsvPhase = await timed(sizes, job, async (b) => {
      const t0 = performance.now();
      const body = encode(batches[b]!);
      encodeMs += performance.now() - t0;
      tsvBytes += body.length;
      await tsv.insertRaw(spec.table, spec.columns, 'TSV', body);
    });
    for (const [db, phase] of [
      [native, nativePhase],
      [tsv, tsvPhase],
    ] as const) {
      const stored = await count(db, spec.table);
      if (stored !== phase.rows)
        throw new Error(`${db.database}: ${stored} rows stored, ${phase.rows} inserted`);
    }
    const nativeRowsPerPass = sizes.reduce((a, b) => a + b, 0);
    await stage.close();
    await native.close();
    await tsv.close();
    return {
      batchItems: job.batchItems,
      native: { ...nativePhase, bytesPerRow: nativeBytes / nativeRowsPerPass },
      tsv: { ...tsvPhase, encodeSeconds: encodeMs / 1000, bytesPerRow: tsvBytes / tsvPhase.rows },
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    temp.cleanup();
  }
}

const arg = process.argv[2];
if (arg === undefined) {
  process.stderr.write('usage: engine-reference.ts <json job>\n');
  process.exit(2);
}
const result = await main(JSON.parse(arg) as EngineJob);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);

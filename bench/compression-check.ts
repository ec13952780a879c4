/**
 * Vigil's table layout against the OTel Collector exporter's default DDL on the same synthetic
 * data: bytes on disk after a final merge, and uncompressed/compressed per table.
 * Run: node --import tsx packages/storage/bench/compression-check.ts [rows]
 */
import { makeTempDir, syntheticLogs, syntheticSpans } from '@vigil/testkit';
import {
  encodeLogsTsv,
  encodeSpansTsv,
  exporterDefaultDdl,
  LOG_COLUMNS,
  openDatabase,
  runMigrations,
  sql,
  SPAN_COLUMNS,
  type Database,
} from '@vigil/storage';

const ROWS = Number(process.argv[2] ?? 300_000);
const BATCH = 50_000;
const temp = makeTempDir('vigil-bench-');
const vigil = await openDatabase({ dataDir: temp.dir, database: 'bench_vigil' });
const exporter = await openDatabase({ dataDir: temp.dir, database: 'bench_exporter' });
await runMigrations(vigil);
for (const statement of exporterDefaultDdl(exporter.database)) await exporter.command(statement);

const startNs = BigInt(Date.now() - 3_600_000) * 1_000_000n;
const spans = syntheticSpans(ROWS, 1, startNs);
const logs = syntheticLogs(ROWS, 2, startNs);
for (const db of [exporter, vigil]) {
  for (let i = 0; i < ROWS; i += BATCH) {
    await db.insertRaw('otel_traces', SPAN_COLUMNS, 'TSV', encodeSpansTsv(spans.slice(i, i + BATCH)));
    await db.insertRaw('otel_logs', LOG_COLUMNS, 'TSV', encodeLogsTsv(logs.slice(i, i + BATCH)));
  }
  for (const table of ['otel_traces', 'otel_logs'])
    await db.command(sql`OPTIMIZE TABLE ${db.table(table)} FINAL`);
}

async function size(db: Database, table: string): Promise<{ raw: number; disk: number }> {
  const [row] = await db.query<{ raw: number; disk: number }>(sql`
    SELECT sum(data_uncompressed_bytes) AS raw, sum(data_compressed_bytes) AS disk
    FROM system.parts WHERE database = ${db.database} AND table = ${table} AND active`);
  return { raw: Number(row?.raw), disk: Number(row?.disk) };
}

process.stdout.write(`# ${ROWS} spans and ${ROWS} log records (synthetic, seeds 1 and 2)\n`);
for (const table of ['otel_traces', 'otel_logs']) {
  const e = await size(exporter, table);
  const v = await size(vigil, table);
  process.stdout.write(
    `${table.padEnd(12)} exporter ${(e.disk / 1e6).toFixed(2)} MB (${(e.raw / e.disk).toFixed(2)}x)  ` +
      `vigil ${(v.disk / 1e6).toFixed(2)} MB (${(v.raw / v.disk).toFixed(2)}x; ${(e.raw / v.disk).toFixed(2)}x of exporter-uncompressed)  ` +
      `vigil/exporter bytes ${(v.disk / e.disk).toFixed(2)}\n`,
  );
}
await vigil.close();
await exporter.close();
temp.cleanup();

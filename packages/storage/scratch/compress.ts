import { rmSync } from 'node:fs';
import { openDatabase } from '../src/connection.ts';
import { exporterDefaultDdl } from '../src/schema/exporter-ddl.ts';
import { tracesTableDdl, traceIdTsTableDdl, traceIdTsViewDdl } from '../src/schema/traces.ts';
import { logsTableDdl } from '../src/schema/logs.ts';
import { encodeSpansTsv, SPAN_COLUMNS } from '../src/encode/spans.ts';
import { encodeLogsTsv, LOG_COLUMNS } from '../src/encode/logs.ts';
import { syntheticSpans, syntheticLogs } from '../src/synthetic.ts';
import { sql } from '../src/sql.ts';
rmSync('/tmp/vx/cmp', { recursive: true, force: true });
const N = Number(process.argv[2] ?? 300000);
const exp = await openDatabase({ dataDir: '/tmp/vx/cmp', database: 'exp' });
const vig = await openDatabase({ dataDir: '/tmp/vx/cmp', database: 'vig' });
for (const s of exporterDefaultDdl('exp')) await exp.command(s);
for (const s of [tracesTableDdl('vig', 7), traceIdTsTableDdl('vig', 7), traceIdTsViewDdl('vig'), logsTableDdl('vig', 7)]) await vig.command(s);
const now = BigInt(Date.now()) * 1_000_000n - 3_600_000_000_000n;
const spans = syntheticSpans(N, 1, now);
const logs = syntheticLogs(N, 2, now);
for (const db of [exp, vig]) {
  for (let i = 0; i < N; i += 50000) {
    await db.insertRaw('otel_traces', SPAN_COLUMNS, 'TSV', encodeSpansTsv(spans.slice(i, i + 50000)));
    await db.insertRaw('otel_logs', LOG_COLUMNS, 'TSV', encodeLogsTsv(logs.slice(i, i + 50000)));
  }
  await db.command(sql`OPTIMIZE TABLE ${db.table('otel_traces')} FINAL`);
  await db.command(sql`OPTIMIZE TABLE ${db.table('otel_logs')} FINAL`);
}
for (const t of ['otel_traces', 'otel_logs']) {
  for (const db of ['exp', 'vig']) {
    const [row] = await exp.query<any>(sql`SELECT sum(data_uncompressed_bytes) u, sum(data_compressed_bytes) c, sum(rows) r FROM system.parts WHERE database = ${db} AND table = ${t} AND active`);
    console.log(t, db, 'rows', row.r, 'uncompressed', row.u, 'compressed', row.c, 'ratio', (row.u / row.c).toFixed(2));
  }
  if (process.argv[3]) {
    const cols = await exp.query<any>(sql`SELECT database, name, data_uncompressed_bytes u, data_compressed_bytes c FROM system.columns WHERE database IN ('exp','vig') AND table = ${t} ORDER BY name, database`);
    for (const c of cols) console.log('  ', c.database, c.name.padEnd(30), String(c.u).padStart(10), String(c.c).padStart(10), (c.u / Math.max(1, c.c)).toFixed(1));
  }
}
await exp.close(); await vig.close();

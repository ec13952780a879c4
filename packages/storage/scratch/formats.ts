import { rmSync } from 'node:fs';
import { openDatabase } from '../src/connection.ts';
import { runMigrations } from '../src/migrations.ts';
import { encodeSpansTsv, encodeSpansJson, SPAN_COLUMNS } from '../src/encode/spans.ts';
import { encodeLogsTsv, encodeLogsJson, LOG_COLUMNS } from '../src/encode/logs.ts';
import { syntheticSpans, syntheticLogs } from '../src/synthetic.ts';
rmSync('/tmp/vx/fmt', { recursive: true, force: true });
const db = await openDatabase({ dataDir: '/tmp/vx/fmt', database: 'f' });
await runMigrations(db);
const now = BigInt(Date.now()) * 1_000_000n - 3_600_000_000_000n;
const spans = syntheticSpans(50000, 1, now);
const logs = syntheticLogs(50000, 2, now);
const attrs = spans.reduce((a, s) => a + Object.keys(s.attributes).length, 0) / spans.length;
console.log('avg span attributes', attrs.toFixed(1), 'resource attrs', Object.keys(spans[0]!.resourceAttributes).length);
const results: Record<string, { enc: number[]; ins: number[]; bytes: number }> = {};
const cases = [
  ['spans TSV', () => encodeSpansTsv(spans), 'otel_traces', SPAN_COLUMNS, 'TSV'],
  ['spans JSONEachRow', () => encodeSpansJson(spans), 'otel_traces', SPAN_COLUMNS, 'JSONEachRow'],
  ['logs TSV', () => encodeLogsTsv(logs), 'otel_logs', LOG_COLUMNS, 'TSV'],
  ['logs JSONEachRow', () => encodeLogsJson(logs), 'otel_logs', LOG_COLUMNS, 'JSONEachRow'],
] as const;
for (let round = 0; round < 6; round++) {
  for (const [name, enc, table, cols, fmt] of cases) {
    const t0 = performance.now();
    const body = enc();
    const t1 = performance.now();
    await db.insertRaw(table, cols, fmt, body);
    const t2 = performance.now();
    const r = (results[name] ??= { enc: [], ins: [], bytes: body.length });
    if (round > 0) { r.enc.push(t1 - t0); r.ins.push(t2 - t1); }
  }
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
for (const [name, r] of Object.entries(results)) {
  const e = med(r.enc), i = med(r.ins);
  console.log(name.padEnd(18), 'body MB', (r.bytes / 1e6).toFixed(1), 'encode ms', e.toFixed(0), 'insert ms', i.toFixed(0), 'total ms', (e + i).toFixed(0), 'rows/s', Math.round(50000 / ((e + i) / 1000)));
}
await db.close();

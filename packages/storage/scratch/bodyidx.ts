import { rmSync } from 'node:fs';
import { openDatabase } from '../src/connection.ts';
import { logsTableDdl } from '../src/schema/logs.ts';
import { encodeLogsTsv, LOG_COLUMNS } from '../src/encode/logs.ts';
import { syntheticLogs } from '../src/synthetic.ts';
import { sql, compile } from '../src/sql.ts';
rmSync('/tmp/vx/bi', { recursive: true, force: true });
const db = await openDatabase({ dataDir: '/tmp/vx/bi', database: 'b' });
const now = BigInt(Date.now()) * 1_000_000n - 3_600_000_000_000n;
const logs = syntheticLogs(1_000_000, 2, now);
// a rare token
for (let i = 0; i < logs.length; i += 97_001) logs[i]!.body += ' zebracorn';
const bodies = [];
for (let i = 0; i < logs.length; i += 100000) bodies.push(encodeLogsTsv(logs.slice(i, i + 100000)));
const variants: Record<string, string> = {
  tokenbf: "INDEX idx_lower_body lower(Body) TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 8",
  text: "INDEX idx_lower_body lower(Body) TYPE text(tokenizer = 'splitByNonAlpha')",
  none: "",
};
for (const [name, idx] of Object.entries(variants)) {
  const base = compile(logsTableDdl('b', 7));
  let q = base.query.replace('v.otel_logs', `b.${name}`).replace('b.otel_logs', `b.${name}`).replace(/INDEX idx_lower_body[^\n]*\n/, idx ? idx + '\n' : '');
  if (!idx) q = q.replace(/,\n\) ENGINE/, '\n) ENGINE');
  await db.client.command({ query: q, query_params: base.params });
  let t0 = performance.now();
  for (const b of bodies) await db.insertRaw(name, LOG_COLUMNS, 'TSV', b);
  const ins = performance.now() - t0;
  await db.command(sql`OPTIMIZE TABLE ${db.table(name)} FINAL`);
  const [sz] = await db.query<any>(sql`SELECT sum(secondary_indices_compressed_bytes) ib FROM system.parts WHERE database='b' AND table=${name} AND active`);
  const times: Record<string, string> = {};
  for (const tok of ['zebracorn', 'declined', 'nosuchtoken']) {
    const qs = [] as number[]; let count = 0;
    for (let k = 0; k < 5; k++) {
      t0 = performance.now();
      const r = await db.query<any>(sql`SELECT Timestamp, Body, LogAttributes, ResourceAttributes FROM ${db.table(name)} WHERE Timestamp >= now() - INTERVAL 2 HOUR AND hasToken(lower(Body), ${tok}) ORDER BY Timestamp DESC LIMIT 100`);
      qs.push(performance.now() - t0); count = r.length;
    }
    qs.sort((a, b) => a - b);
    times[tok] = `${qs[2]!.toFixed(1)}ms(n=${count})`;
  }
  console.log(name.padEnd(8), 'insert ms', ins.toFixed(0), 'index bytes', sz.ib, JSON.stringify(times));
}
await db.close();

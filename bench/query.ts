/**
 * Query latency at scale: 10M spans and 10M log records over 24 h, loaded into the migrated tables
 * (generator → TSV encoders → insertRaw, 100k rows per insert), merges left to settle,
 * then the API's queries timed through TraceStore/LogStore against the product goals (p95): trace
 * by id ≤ 50 ms, trace search by service ≤ 100 ms, log token search over 24 h ≤ 500 ms.
 *
 * Run: npm run bench:query -- [--spans N] [--logs N] [--samples N] [--reuse DIR] [--optimize]
 *                             [--schema-variants]
 * `--reuse DIR` loads into DIR once and keeps it; later runs with the same DIR skip the load
 * (10M + 10M took ~8 min on 2 cores). `--optimize` merges the tables to one part per day first
 * (for good, in a reused DIR). `--schema-variants` also times prototype DDL changes against a
 * control copy (lib/query-schema-variants.ts), built once per DIR.
 * Writes bench/.out/query.json. Figures are only meaningful on an otherwise idle machine.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { makeTempDir } from '@vigil/testkit';
import { LogStore, openDatabase, runMigrations, sql, TraceStore, type Database } from '@vigil/storage';
import { describeMachine, machineInfo } from './lib/machine-info.ts';
import { DAY_NS, loadTelemetry, type LoadResult } from './lib/query-load.ts';
import {
  measureCase,
  measureInterleaved,
  queryCases,
  type QueryCase,
  type QueryContext,
} from './lib/query-cases.ts';
import { diagnose, type StatementDiagnosis } from './lib/query-diagnose.ts';
import { buildVariant, SCHEMA_VARIANTS } from './lib/query-schema-variants.ts';
import { latencyColumns, type LatencySummary } from './lib/stats.ts';
import { settleMerges, tableSize, type TableSize } from './lib/table-size.ts';

const { values: args } = parseArgs({
  options: {
    spans: { type: 'string', default: '10000000' },
    logs: { type: 'string', default: '10000000' },
    samples: { type: 'string', default: '20' },
    'id-samples': { type: 'string', default: '200' },
    batch: { type: 'string', default: '100000' },
    reuse: { type: 'string' },
    optimize: { type: 'boolean', default: false },
    'schema-variants': { type: 'boolean', default: false },
  },
});
const out = (line: string): void => void process.stdout.write(`${line}\n`);

interface Meta {
  spans: number;
  logs: number;
  startMs: number;
  endMs: number;
  load: LoadResult[];
  settleSeconds: number;
}

const machine = machineInfo();
out(`# query benchmark on ${describeMachine(machine)}`);
const temp = args.reuse === undefined ? makeTempDir('vigil-bench-query-') : undefined;
const dataDir = temp?.dir ?? path.resolve(args.reuse!);
mkdirSync(dataDir, { recursive: true });
const metaPath = path.join(dataDir, 'bench-meta.json');
const db = await openDatabase({ dataDir, database: 'bench_query' });
// A long TTL so a --reuse directory stays whole for weeks; retention does not change reads.
await runMigrations(db, { tracesTtlDays: 60, logsTtlDays: 60 });

let meta: Meta;
if (existsSync(metaPath)) {
  meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Meta;
  out(`reusing ${dataDir}: ${meta.spans} spans, ${meta.logs} logs`);
} else {
  const counts = { spans: Number(args.spans), logs: Number(args.logs) };
  const endMs = Math.floor(Date.now() / 60_000) * 60_000;
  const startMs = endMs - Number(DAY_NS / 1_000_000n);
  out(`loading ${counts.spans} spans and ${counts.logs} logs over 24 h into ${dataDir}`);
  const load = await loadTelemetry(db, counts, BigInt(startMs) * 1_000_000n, Number(args.batch), out);
  for (const l of load) out(`${l.table}: ${l.rows} rows in ${l.seconds} s = ${l.rowsPerSecond} rows/s`);
  out('waiting for merges to settle…');
  const settleSeconds = await settleMerges(db, 900);
  meta = { ...counts, startMs, endMs, load, settleSeconds };
  writeFileSync(metaPath, JSON.stringify(meta, null, 2));
}
if (args.optimize) {
  for (const t of ['otel_traces', 'otel_logs']) await db.command(sql`OPTIMIZE TABLE ${db.table(t)} FINAL`);
}
const sizes: TableSize[] = [];
for (const t of ['otel_traces', 'otel_traces_trace_id_ts', 'otel_logs']) sizes.push(await tableSize(db, t));
for (const s of sizes) {
  out(
    `${s.table}: ${s.rows} rows, ${s.parts} parts, ${(s.bytesOnDisk / 1e6).toFixed(1)} MB on disk ` +
      `(${(s.compressedBytes / 1e6).toFixed(1)} MB column data, ${s.ratio}x)`,
  );
}

const traceIds = (
  await db.query<{ id: string }>(sql`
    SELECT TraceId AS id FROM ${db.table('otel_traces_trace_id_ts')}
    GROUP BY TraceId ORDER BY cityHash64(TraceId) LIMIT ${Number(args['id-samples']) + 10}`)
).map((r) => r.id);
// A request id that occurs in one line only: the search an on-call engineer pastes from an alert.
const [unique] = await db.query<{ token: string }>(sql`
  SELECT extract(Body, 'request ([0-9a-f]{16})') AS token FROM ${db.table('otel_logs')}
  WHERE Body LIKE 'unhandled error in request %' LIMIT 1`);
const tokens = { rare: 'panic', frequent: 'user', unique: unique?.token ?? 'none' };
const tokenHits = await countTokens(db, tokens);
out(`token hits over 24 h: ${JSON.stringify(tokenHits)}`);

const ctx: QueryContext = {
  traces: new TraceStore(db),
  logs: new LogStore(db),
  startMs: meta.startMs,
  endMs: meta.endMs,
  traceIds,
  tokens,
};
const cases = queryCases(ctx, Number(args.samples), Number(args['id-samples']));
// The floor under every figure: one round trip through @clickhouse/client and chDB.
cases.unshift({
  name: 'SELECT 1 (round-trip floor)',
  warmups: 10,
  samples: Number(args['id-samples']),
  run: async () => (await db.query(sql`SELECT 1 AS one`)).length,
});
const results: Array<{ name: string; goalMs?: number; met?: boolean; meanItems: number } & LatencySummary> =
  [];
out(`\n${'query'.padEnd(58)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)}  goal (p95)`);
for (const c of cases) {
  const { summary: s, meanItems } = await measureCase(c);
  const met = c.goalMs === undefined ? undefined : s.p95Ms <= c.goalMs;
  results.push({
    name: c.name,
    ...(c.goalMs === undefined ? {} : { goalMs: c.goalMs, met }),
    meanItems,
    ...s,
  });
  const goal = c.goalMs === undefined ? '' : `≤ ${c.goalMs} ms ${met ? 'met' : 'MISSED'}`;
  out(`${c.name.padEnd(58)} ${latencyColumns(s)}  ${goal}`);
}

// One diagnosed run per query: the statements the store issued, rows read, index use.
const diagnoses: Record<string, StatementDiagnosis[]> = {};
for (const c of cases) {
  const recorded = (rec: Database): QueryCase | undefined =>
    queryCases({ ...ctx, traces: new TraceStore(rec), logs: new LogStore(rec) }, 1, 1).find(
      (q) => q.name === c.name,
    );
  if (!recorded(db)) continue;
  diagnoses[c.name] = await diagnose(db, (rec) => recorded(rec)!.run(c.warmups));
}
// Prototypes, each timed interleaved with what it would replace (a shared machine's load then
// hits both alike). Opt-in and slow: schema variants against a control copy (copies spans and
// logs twice each, once per DIR). The time-sliced search prototyped here earlier is now what the
// stores do (packages/storage/src/time-slices.ts).
const variants: Array<{ variant: string; name: string; meanItems: number } & LatencySummary> = [];
const compare = async (labels: string[], alternatives: QueryCase[][]): Promise<void> => {
  for (let k = 0; k < alternatives[0]!.length; k++) {
    const results = await measureInterleaved(alternatives.map((list) => list[k]!));
    for (const [j, r] of results.entries()) {
      variants.push({
        variant: labels[j]!,
        name: alternatives[j]![k]!.name,
        meanItems: r.meanItems,
        ...r.summary,
      });
      out(`${`${alternatives[j]![k]!.name} [${labels[j]}]`.padEnd(58)} ${latencyColumns(r.summary)}`);
    }
  }
};

const schemaVariants: Array<{ key: string; change: string; sizes: TableSize[] }> = [];
if (args['schema-variants']) {
  for (const signal of ['traces', 'logs'] as const) {
    const list = SCHEMA_VARIANTS.filter((v) => v.signal === signal);
    const contexts: QueryContext[] = [];
    for (const variant of list) {
      const built = await buildVariant(dataDir, db, variant);
      schemaVariants.push({ key: variant.key, change: variant.change, sizes: built.sizes });
      const s = built.sizes[0]!;
      out(
        `schema variant '${variant.key}': ${variant.change}; ${s.parts} parts, ${(s.bytesOnDisk / 1e6).toFixed(1)} MB`,
      );
      contexts.push(
        signal === 'traces'
          ? { ...ctx, traces: new TraceStore(built.db) }
          : { ...ctx, logs: new LogStore(built.db) },
      );
    }
    const pick = (c: QueryContext): QueryCase[] =>
      queryCases(c, Number(args.samples), Number(args['id-samples'])).filter((q) =>
        q.name.startsWith(signal === 'traces' ? 'trace' : 'log'),
      );
    await compare(
      list.map((v) => v.key),
      contexts.map(pick),
    );
  }
}

const report = { machine, dataDir, meta, sizes, tokenHits, results, diagnoses, variants, schemaVariants };
mkdirSync(new URL('.out/', import.meta.url), { recursive: true });
writeFileSync(new URL('.out/query.json', import.meta.url), JSON.stringify(report, null, 2));
out('\nwrote bench/.out/query.json');
await db.close();
temp?.cleanup();

async function countTokens(d: Database, t: Record<string, string>): Promise<Record<string, number>> {
  const hits: Record<string, number> = {};
  for (const [kind, token] of Object.entries(t)) {
    const [row] = await d.query<{ n: number | string }>(
      sql`SELECT count() AS n FROM ${d.table('otel_logs')} WHERE hasToken(lower(Body), ${token})`,
    );
    hits[`${kind} '${token}'`] = Number(row?.n);
  }
  return hits;
}

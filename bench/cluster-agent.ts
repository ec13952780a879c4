/**
 * The cluster agent's collection cycle (issue #7, "bench/cluster-agent"): one Postgres with 1,000
 * tables and 5,000 distinct statements in pg_stat_statements, plus 20 Redis/MariaDB targets
 * (10 private Redis servers, 10 connections to the local MariaDB, one per database).
 *
 *   vigil   one collection round (collection-round.ts, the agent's own) over the 21 targets, in
 *           this process: wall time per round, this process's CPU per round, and the queries the
 *           round ran on Postgres (pg_stat_statements calls, all databases); measured twice:
 *           as configured by default (per-table statistics, sizes and the schema snapshot read
 *           once a minute, so the measured rounds reuse them) and with those read every round
 *           (the round that reads them is the worst case, and the one the goal is checked on)
 *   peer    the standard exporters from Debian doing the same job: prometheus-postgres-exporter
 *           (0.11, pg_stat_statements through --extend.query-path, as its docs show) scraped once
 *           and prometheus-redis-exporter scraped for each of the 10 Redis (`/scrape?target=`),
 *           and one prometheus-mysqld-exporter 0.14 per MariaDB target (that version takes one
 *           server per process), all at once: wall time per cycle, the exporters' CPU per
 *           cycle (/proc), queries on
 *           Postgres per scrape
 *
 * Goal (issue #7): ≤ 2 s wall and ≤ 0.5 CPU-s per cycle. Needs the local Postgres with
 * pg_stat_statements preloaded and MariaDB with performance_schema (.ci/run does both),
 * redis-server, and the three exporter packages.
 * Run: npm run bench:cluster-agent -- [--rounds 10]. Writes bench/.out/cluster-agent.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { freeLoopbackPort, makeTempDir, startTcpServerProcess, type TcpServerProcess } from '@vigil/testkit';
import { defaultCollectors } from '../apps/cluster-agent/src/collectors/default-collectors.ts';
import { createMysqlCollector } from '../apps/cluster-agent/src/collectors/mysql/index.ts';
import { createPostgresCollector } from '../apps/cluster-agent/src/collectors/postgres/index.ts';
import type { CollectorRegistry } from '../apps/cluster-agent/src/collectors/registry.ts';
import type { Target } from '../apps/cluster-agent/src/collectors/target.ts';
import { measureVigil, statementsRun, type Measured } from './lib/cluster-agent-vigil.ts';
import { processCpuSeconds } from './lib/proc-stats.ts';
import { machineFacts } from './lib/report.ts';
import { REPO_ROOT } from './lib/server-process.ts';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '10' } } });
const ROUNDS = Number(args.rounds);
const DB = 'vigil_bench_cluster';
const ADMIN_URL = process.env.VIGIL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_URL = ADMIN_URL.replace(/\/[^/]*$/, `/${DB}`);
const TABLES = 1000;
const MYSQL_DATABASES = Array.from({ length: 10 }, (_, i) => `vigil_bench_${i}`);
const SHAPES = [
  (t: string) => `SELECT count(*) FROM ${t}`,
  (t: string) => `SELECT v FROM ${t} WHERE id = 1`,
  (t: string) => `SELECT max(id) FROM ${t} WHERE v IS NOT NULL`,
  (t: string) => `UPDATE ${t} SET v = 'x' WHERE id = 2`,
  (t: string) => `SELECT id, v FROM ${t} ORDER BY id DESC LIMIT 3`,
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (s: number) => Math.round(s * 1000);

async function preparePostgres(): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const preload = (await admin.query('SHOW shared_preload_libraries')).rows[0]
    .shared_preload_libraries as string;
  if (!preload.includes('pg_stat_statements'))
    throw new Error('pg_stat_statements is not preloaded: run the Postgres part of .ci/run first');
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);
  await admin.end();
  const db = new pg.Client({ connectionString: DB_URL });
  await db.connect();
  await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  let ddl = '';
  for (let i = 0; i < TABLES; i++)
    ddl += `CREATE TABLE t${i} (id int PRIMARY KEY, v text); INSERT INTO t${i} VALUES (1, 'a'), (2, 'b');`;
  await db.query(ddl);
  await db.query('SELECT pg_stat_statements_reset()');
  for (let i = 0; i < TABLES; i++) for (const shape of SHAPES) await db.query(shape(`t${i}`));
  const n = (await db.query('SELECT count(*)::int AS n FROM pg_stat_statements')).rows[0].n as number;
  console.log(`  Postgres: ${TABLES} tables, ${n} statements in pg_stat_statements (max 5000)`);
  await db.end();
}

async function prepareMariaDb(create: boolean): Promise<void> {
  const conn = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
  try {
    for (const db of MYSQL_DATABASES)
      await conn.query(create ? `CREATE DATABASE IF NOT EXISTS ${db}` : `DROP DATABASE IF EXISTS ${db}`);
  } finally {
    await conn.end();
  }
}

/** Starts a Debian exporter; resolves when its /metrics answers. */
async function startExporter(
  bin: string,
  flags: string[],
  port: number,
  env: Record<string, string>,
): Promise<ChildProcess> {
  const child = spawn(bin, flags, { env: { ...process.env, ...env }, stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/metrics`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`${bin} did not start`);
}

const PG_STAT_STATEMENTS_QUERIES = `pg_stat_statements:
  query: "SELECT d.datname, r.rolname AS user, s.queryid::text AS queryid, s.calls, s.total_exec_time / 1000 AS seconds_total, s.rows, (s.blk_read_time + s.blk_write_time) / 1000 AS block_seconds_total FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid JOIN pg_roles r ON r.oid = s.userid"
  metrics:
    - datname: { usage: LABEL, description: database }
    - user: { usage: LABEL, description: role }
    - queryid: { usage: LABEL, description: statement id }
    - calls: { usage: COUNTER, description: calls }
    - seconds_total: { usage: COUNTER, description: execution time }
    - rows: { usage: COUNTER, description: rows }
    - block_seconds_total: { usage: COUNTER, description: block I/O time }
`;

async function main(): Promise<void> {
  const machine = machineFacts();
  console.log(
    `# cluster agent collection cycle, ${new Date().toISOString()}, ${machine.cores} cores, Node ${process.version}`,
  );
  await preparePostgres();
  await prepareMariaDb(true);
  const redis: TcpServerProcess[] = [];
  const temp = makeTempDir('vigil-bench-cluster-');
  const children: ChildProcess[] = [];
  const stat = new pg.Client({ connectionString: DB_URL });
  await stat.connect();
  try {
    for (let i = 0; i < 10; i++) {
      const port = await freeLoopbackPort();
      redis.push(
        await startTcpServerProcess(
          'redis-server',
          ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
          port,
        ),
      );
    }
    console.log('  10 private Redis servers started; 10 MariaDB targets (databases vigil_bench_0..9)');

    // ---- Vigil: the agent's own round over the 21 targets -----------------------------------
    const targets: Target[] = [
      {
        type: 'postgres',
        host: '127.0.0.1',
        port: 5432,
        credentials: { username: 'postgres' },
        params: { database: DB },
      },
      ...redis.map((r): Target => ({ type: 'redis', host: '127.0.0.1', port: r.port })),
      ...MYSQL_DATABASES.map((database): Target => ({
        type: 'mysql',
        host: '127.0.0.1',
        port: 3306,
        credentials: { username: 'root' },
        params: { database },
      })),
    ];
    // Two configurations: the default one, where table statistics, sizes and the schema snapshot
    // are read once a minute (so the measured rounds reuse them), and one that reads them every
    // round: the round that does it, once a minute in production, is the worst case.
    const vigil = await measureVigil(targets, defaultCollectors(), stat, ROUNDS);
    const everyRound: CollectorRegistry = {
      ...defaultCollectors(),
      postgres: (t) => createPostgresCollector(t, { detailsIntervalMs: 0 }),
      mysql: (t) => createMysqlCollector(t, { schemaIntervalMs: 0 }),
    };
    const vigilRefresh = await measureVigil(targets, everyRound, stat, ROUNDS);

    // ---- peer: postgres_exporter + redis_exporter -------------------------------------------
    const queriesFile = path.join(temp.dir, 'queries.yaml');
    writeFileSync(queriesFile, PG_STAT_STATEMENTS_QUERIES);
    const pgPort = await freeLoopbackPort();
    const redisExporterPort = await freeLoopbackPort();
    const pgExporter = await startExporter(
      'prometheus-postgres-exporter',
      [`--web.listen-address=127.0.0.1:${pgPort}`, `--extend.query-path=${queriesFile}`, '--log.level=error'],
      pgPort,
      { DATA_SOURCE_NAME: `${DB_URL}?sslmode=disable` },
    );
    children.push(pgExporter);
    const redisExporter = await startExporter(
      'prometheus-redis-exporter',
      ['-web.listen-address', `127.0.0.1:${redisExporterPort}`, '-redis.addr', ''],
      redisExporterPort,
      {},
    );
    children.push(redisExporter);
    // mysqld_exporter 0.14 takes one server per process: one per target, with the
    // performance_schema collectors that match what Vigil reads.
    const mysqlExporters: number[] = [];
    for (const db of MYSQL_DATABASES) {
      const port = await freeLoopbackPort();
      children.push(
        await startExporter(
          'prometheus-mysqld-exporter',
          [
            `--web.listen-address=127.0.0.1:${port}`,
            '--collect.perf_schema.eventsstatements',
            '--collect.perf_schema.tableiowaits',
            '--collect.info_schema.processlist',
            '--log.level=error',
          ],
          port,
          { DATA_SOURCE_NAME: `root@(127.0.0.1:3306)/${db}` },
        ),
      );
      mysqlExporters.push(port);
    }
    const cycle = async () => {
      const [pgText, ...redisTexts] = await Promise.all([
        fetch(`http://127.0.0.1:${pgPort}/metrics`).then((r) => r.text()),
        ...redis.map((r) =>
          fetch(`http://127.0.0.1:${redisExporterPort}/scrape?target=redis://127.0.0.1:${r.port}`).then((x) =>
            x.text(),
          ),
        ),
        ...mysqlExporters.map((port) => fetch(`http://127.0.0.1:${port}/metrics`).then((x) => x.text())),
      ]);
      const lines = (t: string) => t.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
      return lines(pgText!) + redisTexts.reduce((n, t) => n + lines(t), 0);
    };
    for (let i = 0; i < 2; i++) await cycle();
    const peer: Measured = { wallMs: [], cpuMs: [], pgQueries: [], series: 0, tableSeries: 0 };
    for (let i = 0; i < ROUNDS; i++) {
      const x0 = await statementsRun(stat);
      const exporterCpu = () => children.reduce((sum, c) => sum + processCpuSeconds(c.pid!), 0);
      const c0 = exporterCpu();
      const t0 = performance.now();
      peer.series = await cycle();
      const wall = performance.now() - t0;
      const c1 = exporterCpu();
      const x1 = await statementsRun(stat);
      peer.wallMs.push(wall);
      peer.cpuMs.push((c1 - c0) * 1000);
      peer.pgQueries.push(x1 - x0 - 1);
    }

    const row = (name: string, r: Measured) =>
      `  ${name.padEnd(36)} ${String(Math.round(median(r.wallMs))).padStart(8)} / ${String(Math.round(Math.max(...r.wallMs))).padStart(5)}   ${String(Math.round(median(r.cpuMs))).padStart(8)}   ${String(median(r.pgQueries)).padStart(6)}   ${r.series}`;
    console.log(`\n${ROUNDS} cycles each, after two warm-up cycles`);
    console.log('  who                                  wall ms med / max    CPU ms   pg queries   series');
    console.log(row('vigil cluster agent (one round)', vigil));
    console.log(row('vigil, tables + schema every round', vigilRefresh));
    console.log(`  (vigil: ${vigil.tableSeries} pg_table_* series)`);
    console.log(row('postgres/redis/mysqld exporters', peer));
    // The goal holds for every round, so it is checked on the one that refreshes everything.
    const wallS = median(vigilRefresh.wallMs) / 1000;
    const cpuS = median(vigilRefresh.cpuMs) / 1000;
    console.log(
      `\ngoal (issue #7): ≤ 2 s wall and ≤ 0.5 CPU-s per cycle: ${wallS <= 2 && cpuS <= 0.5 ? 'met' : 'MISSED'} ` +
        `(${ms(wallS)} ms, ${ms(cpuS)} CPU-ms); vigil / peer wall ×${(median(vigil.wallMs) / median(peer.wallMs)).toFixed(2)}, ` +
        `CPU ×${(median(vigil.cpuMs) / median(peer.cpuMs)).toFixed(2)}`,
    );
    const outDir = path.join(REPO_ROOT, 'bench/.out');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(
      path.join(outDir, 'cluster-agent.json'),
      JSON.stringify({ date: new Date(), machine, vigil, vigilRefresh, peer }, null, 2),
    );
    console.log('JSON: bench/.out/cluster-agent.json');
  } finally {
    for (const c of children) c.kill();
    await Promise.all(redis.map((r) => r.stop()));
    await stat.end();
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await admin.end();
    await prepareMariaDb(false);
    temp.cleanup();
  }
}

await main();

/**
 * The Vigil side of bench/cluster-agent.ts: rounds of the agent's own CollectionRounds over the
 * bench's targets, timed, with this process's CPU and the statements they ran on Postgres.
 */
import type pg from 'pg';
import { silentLogger } from '@vigil/core';
import { CollectionRounds } from '../../apps/cluster-agent/src/collection-round.ts';
import type { CollectorRegistry } from '../../apps/cluster-agent/src/collectors/registry.ts';
import type { Target } from '../../apps/cluster-agent/src/collectors/target.ts';

/**
 * Statements run on the server so far, by pg_stat_statements (counted as each ends; the
 * per-database transaction counters reach their view only when a backend flushes, up to 10 s
 * later). This read itself is one more.
 */
export async function statementsRun(client: pg.Client): Promise<number> {
  const r = await client.query('SELECT sum(calls)::float8 AS n FROM pg_stat_statements');
  return r.rows[0].n as number;
}

export interface Measured {
  wallMs: number[];
  cpuMs: number[];
  pgQueries: number[];
  series: number;
  tableSeries: number;
}

/** `count` rounds of the agent's own CollectionRounds over `targets`, after two warm-up rounds. */
export async function measureVigil(
  targets: Target[],
  registry: CollectorRegistry,
  stat: pg.Client,
  count: number,
): Promise<Measured> {
  const rounds = new CollectionRounds(registry, silentLogger);
  for (let i = 0; i < 2; i++) await rounds.run(targets, 10_000); // connections, first statements snapshot
  const m: Measured = { wallMs: [], cpuMs: [], pgQueries: [], series: 0, tableSeries: 0 };
  for (let i = 0; i < count; i++) {
    const x0 = await statementsRun(stat);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const families = await rounds.run(targets, 10_000);
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const x1 = await statementsRun(stat);
    m.wallMs.push(wall);
    m.cpuMs.push((c.user + c.system) / 1000);
    m.pgQueries.push(x1 - x0 - 1); // the first stats read is one transaction too
    m.series = families.reduce((n, f) => n + f.samples.length, 0);
    m.tableSeries = families
      .filter((f) => f.name.startsWith('pg_table_'))
      .reduce((n, f) => n + f.samples.length, 0);
    if (rounds.states.some((s) => !s.up || s.error !== undefined))
      throw new Error(`a target failed: ${JSON.stringify(rounds.states.filter((s) => !s.up || s.error))}`);
  }
  await rounds.close();
  return m;
}

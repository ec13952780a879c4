/**
 * The Postgres collector: one connection per target, one round of system-view queries per
 * `collect`. A round that cannot connect or run `SELECT 1` gives `pg_up 0` and the error; after
 * that, a failing section (say, no privilege on a view) is reported in `error` while the other
 * sections' series are still returned.
 *
 * TLS is not implemented: the collector connects in plain text whatever `params.sslmode` says.
 */
import type { Collection, Collector } from '../collector.ts';
import { targetAddress, type Target } from '../target.ts';
import { activitySeries } from './activity.ts';
import { AbortedError, messageOf } from '../deadline.ts';
import { PgConnection } from './connection.ts';
import { FamilySet } from './families.ts';
import {
  readActivity,
  readCheckpoints,
  readDatabases,
  readServerInfo,
  readSettings,
  readWal,
  type Run,
  type ServerInfo,
} from './queries.ts';
import { collectStatements } from './statement-series.ts';
import type { StatementsSnapshot } from './statements.ts';

export interface PostgresCollectorOptions {
  /**
   * Connect timeout and `statement_timeout`; keep it below the scrape deadline so that the server
   * stops work the agent no longer waits for. The `collect` signal remains the hard stop.
   */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5000;

type Section = (run: Run, info: ServerInfo, families: FamilySet) => Promise<void>;

const SECTIONS: ReadonlyArray<readonly [string, Section]> = [
  [
    'settings',
    async (run, _info, families) => {
      for (const s of await readSettings(run)) {
        const value = s.vartype === 'bool' ? (s.setting === 'on' ? 1 : 0) : Number(s.setting);
        if (Number.isFinite(value)) families.add('pg_setting', value, { name: s.name, unit: s.unit });
      }
    },
  ],
  [
    'activity',
    async (run, _info, families) => {
      const { connections, lockAwaiting } = activitySeries(await readActivity(run));
      for (const c of connections) families.add('pg_connections', c.value, c.labels);
      for (const l of lockAwaiting) families.add('pg_lock_awaiting_queries', l.value, l.labels);
    },
  ],
  [
    'databases',
    async (run, _info, families) => {
      for (const d of await readDatabases(run)) {
        if (d.size_bytes !== null) families.add('pg_database_size_bytes', d.size_bytes, { db: d.db });
        families.add('pg_xid_age', d.xid_age, { db: d.db });
      }
    },
  ],
  [
    'wal',
    async (run, info, families) => {
      const wal = await readWal(run, info.inRecovery);
      if (wal.current_lsn !== null) families.add('pg_wal_current_lsn', wal.current_lsn);
      if (wal.receive_lsn !== null) families.add('pg_wal_receive_lsn', wal.receive_lsn);
      if (wal.replay_lsn !== null) families.add('pg_wal_reply_lsn', wal.replay_lsn);
      if (wal.replay_paused !== null) families.add('pg_wal_replay_paused', wal.replay_paused ? 1 : 0);
    },
  ],
  [
    'checkpoints',
    async (run, info, families) => {
      const cp = await readCheckpoints(run, info.versionNum);
      families.add('pg_checkpoints_total', cp.timed, { kind: 'timed' });
      families.add('pg_checkpoints_total', cp.requested, { kind: 'requested' });
    },
  ],
];

export function createPostgresCollector(target: Target, options: PostgresCollectorOptions = {}): Collector {
  const connection = new PgConnection({
    host: target.host,
    port: target.port,
    user: target.credentials?.username ?? 'postgres',
    password: target.credentials?.password,
    database: target.params?.database ?? 'postgres',
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  const address = targetAddress(target);
  let statements: StatementsSnapshot | undefined;

  async function collect(signal: AbortSignal): Promise<Collection> {
    const families = new FamilySet(address);
    const run: Run = (sql, params) => connection.query(sql, signal, params);
    let info: ServerInfo;
    try {
      const startMs = performance.now();
      await run('SELECT 1');
      const probeSeconds = (performance.now() - startMs) / 1000;
      info = await readServerInfo(run);
      families.add('pg_up', 1);
      families.add('pg_probe_seconds', probeSeconds);
      families.add('pg_info', 1, { server_version: info.version });
    } catch (err) {
      connection.reset();
      families.add('pg_up', 0);
      return { families: families.toFamilies(), error: messageOf(err) };
    }

    const errors: string[] = [];
    for (const [name, section] of SECTIONS) {
      try {
        await section(run, info, families);
      } catch (err) {
        errors.push(`${name}: ${messageOf(err)}`);
        if (err instanceof AbortedError) break;
      }
    }
    if (!signal.aborted) {
      try {
        statements = await collectStatements(run, info.versionNum, families, statements);
      } catch (err) {
        errors.push(`pg_stat_statements: ${messageOf(err)}`);
      }
    }
    return { families: families.toFamilies(), ...(errors.length > 0 ? { error: errors.join('; ') } : {}) };
  }

  return {
    target,
    collect: async (signal) => {
      try {
        return await collect(signal);
      } catch (err) {
        // Nothing above should throw; this keeps the "never throws" promise if something does.
        return { families: new FamilySet(address).toFamilies(), error: messageOf(err) };
      }
    },
    close: () => connection.close(),
  };
}

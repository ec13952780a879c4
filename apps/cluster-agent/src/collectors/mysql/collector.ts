/**
 * The MySQL/MariaDB collector: one connection per target, one round of statements per `collect`.
 * A round that cannot connect or read `SHOW GLOBAL VARIABLES` / `SHOW GLOBAL STATUS` gives
 * `mysql_up 0` and the server's (or socket's) error; after that, a failing section (say, no
 * REPLICATION CLIENT or PROCESS privilege) is reported in `error` while the other sections'
 * series are still returned.
 *
 * Global variables and (every `schemaIntervalMs`) the schema are compared between rounds and
 * the differences returned in `changes` (changes.ts); the first round is the baseline.
 *
 * TLS follows `params.tls` and `params['ssl-ca']` (tls-options.ts; plain text when absent). Params
 * that cannot be honoured (an unknown `tls` value) give `mysql_up 0` and the reason every round,
 * without connecting. There is no server-side statement timeout; the `collect` signal destroys
 * the connection at the deadline.
 */
import type { Collection, Collector } from '../collector.ts';
import { targetAddress, type Target } from '../target.ts';
import { AbortedError, messageOf } from '../deadline.ts';
import type { DatabaseChange } from '../../changes/database-change.ts';
import { DEFAULT_SCHEMA_INTERVAL_MS, MysqlChanges } from './changes.ts';
import { MysqlConnection } from './connection.ts';
import { parseMysqlTls } from './tls-options.ts';
import { FamilySet } from './families.ts';
import { lockAwaitingSeries } from './lock-waits.ts';
import { collectPerfSchema, type PerfSchemaState } from './perf-schema-series.ts';
import { readGlobals, readLockWaits, readReplicaStatus, type Run } from './queries.ts';
import { addGlobalSeries, addReplicationSeries } from './status-series.ts';

export interface MysqlCollectorOptions {
  /** Connect timeout; keep it below the scrape deadline. The `collect` signal remains the hard stop. */
  readonly timeoutMs?: number;
  /** How often the schema snapshot for change tracking is read (default 60 s; 0: every round). */
  readonly schemaIntervalMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5000;

export function createMysqlCollector(target: Target, options: MysqlCollectorOptions = {}): Collector {
  const tls = parseMysqlTls(target.params);
  const connection = new MysqlConnection({
    host: target.host,
    port: target.port,
    user: target.credentials?.username ?? 'root',
    password: target.credentials?.password,
    database: target.params?.database,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(tls.ok ? { tls: tls.tls } : {}),
  });
  const address = targetAddress(target);
  let perfSchemaState: PerfSchemaState | undefined;
  const tracker = new MysqlChanges(options.schemaIntervalMs ?? DEFAULT_SCHEMA_INTERVAL_MS);

  async function collect(signal: AbortSignal): Promise<Collection> {
    const families = new FamilySet(address);
    if (!tls.ok) {
      families.add('mysql_up', 0);
      return { families: families.toFamilies(), error: tls.error };
    }
    const run: Run = (sql) => connection.query(sql, signal);
    let perfSchema: boolean;
    const changes: DatabaseChange[] = [];
    const nowMs = Date.now();
    try {
      const variables = await readGlobals(run, 'VARIABLES');
      const status = await readGlobals(run, 'STATUS');
      families.add('mysql_up', 1);
      addGlobalSeries(families, variables, status);
      perfSchema = variables.get('performance_schema') === 'ON';
      families.add('mysql_performance_schema_available', perfSchema ? 1 : 0);
      changes.push(...tracker.variables(variables, nowMs));
    } catch (err) {
      connection.reset();
      families.add('mysql_up', 0);
      return { families: families.toFamilies(), error: messageOf(err) };
    }

    const sections: ReadonlyArray<readonly [string, () => Promise<void>]> = [
      ['replication', async () => addReplicationSeries(families, await readReplicaStatus(run))],
      [
        'lock waits',
        async () => {
          for (const s of lockAwaitingSeries(await readLockWaits(run, perfSchema)))
            families.add('mysql_lock_awaiting_queries', s.value, s.labels);
        },
      ],
      [
        'performance_schema',
        async () => {
          // Turned off (only possible by a restart): start from fresh snapshots when it is back.
          perfSchemaState = perfSchema ? await collectPerfSchema(run, families, perfSchemaState) : undefined;
        },
      ],
      ['schema', async () => void changes.push(...(await tracker.schema(run, nowMs)))],
    ];
    const errors: string[] = [];
    for (const [name, section] of sections) {
      try {
        await section();
      } catch (err) {
        errors.push(`${name}: ${messageOf(err)}`);
        if (err instanceof AbortedError) break;
      }
    }
    return {
      families: families.toFamilies(),
      ...(errors.length > 0 ? { error: errors.join('; ') } : {}),
      ...(changes.length > 0 ? { changes } : {}),
    };
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

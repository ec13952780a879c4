/**
 * `SHOW GLOBAL STATUS` / `SHOW GLOBAL VARIABLES` and `SHOW REPLICA STATUS` → series.
 *
 * mysql_queries_total is `Questions` (statements clients sent), like Coroot; `Queries` would also
 * count the statements run inside stored programs.
 */
import type { FamilySet, MysqlFamilyName } from './families.ts';

/** Family ← (SHOW GLOBAL VARIABLES | SHOW GLOBAL STATUS) name. */
const FROM_VARIABLES: ReadonlyArray<readonly [MysqlFamilyName, string]> = [
  ['mysql_connections_max', 'max_connections'],
];
const FROM_STATUS: ReadonlyArray<readonly [MysqlFamilyName, string]> = [
  ['mysql_connections_current', 'Threads_connected'],
  ['mysql_connections_total', 'Connections'],
  ['mysql_connections_aborted_total', 'Aborted_connects'],
  ['mysql_traffic_received_bytes_total', 'Bytes_received'],
  ['mysql_traffic_sent_bytes_total', 'Bytes_sent'],
  ['mysql_queries_total', 'Questions'],
  ['mysql_slow_queries_total', 'Slow_queries'],
];

function addNumbers(
  families: FamilySet,
  from: ReadonlyMap<string, string>,
  pairs: ReadonlyArray<readonly [MysqlFamilyName, string]>,
): void {
  for (const [family, name] of pairs) {
    const raw = from.get(name);
    const value = raw === undefined || raw === '' ? NaN : Number(raw);
    if (Number.isFinite(value)) families.add(family, value);
  }
}

/** mysql_info (server_uuid is '' on MariaDB, which has no such variable) and the counters. */
export function addGlobalSeries(
  families: FamilySet,
  variables: ReadonlyMap<string, string>,
  status: ReadonlyMap<string, string>,
): void {
  families.add('mysql_info', 1, {
    server_version: variables.get('version') ?? '',
    server_id: variables.get('server_id') ?? '',
    server_uuid: variables.get('server_uuid') ?? '',
  });
  addNumbers(families, variables, FROM_VARIABLES);
  addNumbers(families, status, FROM_STATUS);
}

const first = (row: ReadonlyMap<string, string>, ...names: string[]): string | undefined => {
  for (const name of names) {
    const value = row.get(name);
    if (value !== undefined) return value;
  }
  return undefined;
};

/**
 * One set of series per replication channel. Labels: `source` (host:port of the source),
 * `source_server_id` and `source_server_uuid` (as Coroot labels them), and for the thread
 * statuses `state` and `last_error`. MySQL 8.0.22+ and MariaDB 10.5+ name the columns
 * Replica/Source; older servers Slave/Master. The lag is absent (NULL) while the SQL thread is
 * stopped, and then no lag series is emitted.
 */
export function addReplicationSeries(
  families: FamilySet,
  rows: ReadonlyArray<ReadonlyMap<string, string>>,
): void {
  for (const row of rows) {
    const host = first(row, 'Source_Host', 'Master_Host') ?? '';
    const port = first(row, 'Source_Port', 'Master_Port') ?? '';
    const source = {
      source: host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`,
      source_server_id: first(row, 'Source_Server_Id', 'Master_Server_Id') ?? '',
      source_server_uuid: first(row, 'Source_UUID', 'Master_UUID') ?? '',
    };
    const io = first(row, 'Replica_IO_Running', 'Slave_IO_Running');
    if (io !== undefined && io !== '') {
      families.add('mysql_replication_io_status', io === 'Yes' ? 1 : 0, {
        ...source,
        state: first(row, 'Replica_IO_State', 'Slave_IO_State') ?? '',
        last_error: row.get('Last_IO_Error') ?? '',
      });
    }
    const sql = first(row, 'Replica_SQL_Running', 'Slave_SQL_Running');
    if (sql !== undefined && sql !== '') {
      families.add('mysql_replication_sql_status', sql === 'Yes' ? 1 : 0, {
        ...source,
        state: first(row, 'Replica_SQL_Running_State', 'Slave_SQL_Running_State') ?? '',
        last_error: row.get('Last_SQL_Error') ?? '',
      });
    }
    const lag = first(row, 'Seconds_Behind_Source', 'Seconds_Behind_Master');
    if (lag !== undefined && /^\d+$/.test(lag)) {
      families.add('mysql_replication_lag_seconds', Number(lag), source);
    }
  }
}

/** Every family the collector emits, with its type and help (collected through ../family-set.ts). */
import { FamilySet as SharedFamilySet, type FamilySpec } from '../family-set.ts';

/** Every family the MySQL collector emits (names and labels as Coroot's cluster agent has them). */
export const MYSQL_FAMILIES = {
  mysql_up: { type: 'gauge', help: 'Whether the server answered (1) or not (0).' },
  mysql_info: {
    type: 'gauge',
    help: 'Server information (server_version, server_id, server_uuid); the value is always 1.',
  },
  mysql_connections_max: { type: 'gauge', help: 'The max_connections setting.' },
  mysql_connections_current: { type: 'gauge', help: 'Open client connections (Threads_connected).' },
  mysql_connections_total: { type: 'counter', help: 'Connection attempts, successful or not (Connections).' },
  mysql_connections_aborted_total: {
    type: 'counter',
    help: 'Failed connection attempts (Aborted_connects).',
  },
  mysql_traffic_received_bytes_total: { type: 'counter', help: 'Bytes received from clients.' },
  mysql_traffic_sent_bytes_total: { type: 'counter', help: 'Bytes sent to clients.' },
  mysql_queries_total: {
    type: 'counter',
    help: 'Statements sent by clients (Questions: without statements run inside stored programs).',
  },
  mysql_slow_queries_total: { type: 'counter', help: 'Statements that took longer than long_query_time.' },
  mysql_replication_io_status: {
    type: 'gauge',
    help: 'Whether the replica I/O thread is running (1) or not (0), by source.',
  },
  mysql_replication_sql_status: {
    type: 'gauge',
    help: 'Whether the replica SQL thread is running (1) or not (0), by source.',
  },
  mysql_replication_lag_seconds: { type: 'gauge', help: 'Seconds_Behind_Source (Seconds_Behind_Master).' },
  mysql_lock_awaiting_queries: {
    type: 'gauge',
    help: 'Transactions waiting for an InnoDB row lock, by the schema, user and query of the transaction holding it.',
  },
  mysql_performance_schema_available: {
    type: 'gauge',
    help: 'Whether performance_schema is ON (1) or not (0); without it there are no top query or table I/O series.',
  },
  mysql_top_query_calls_per_second: {
    type: 'gauge',
    help: 'Calls per second of the top statement digests by time.',
  },
  mysql_top_query_time_per_second: {
    type: 'gauge',
    help: 'Execution seconds per second of the top statement digests by time.',
  },
  mysql_top_query_lock_time_per_second: {
    type: 'gauge',
    help: 'Seconds per second the top statement digests spent waiting for table locks.',
  },
  mysql_top_table_io_wait_time_per_second: {
    type: 'gauge',
    help: 'Seconds per second spent on table I/O waits, by table and operation (read, write), for the top tables.',
  },
} as const satisfies Record<string, FamilySpec>;

export type MysqlFamilyName = keyof typeof MYSQL_FAMILIES;

/** Samples of this collector's families, labelled with the target's address. */
export class FamilySet extends SharedFamilySet<MysqlFamilyName> {
  constructor(address: string) {
    super(address, MYSQL_FAMILIES);
  }
}

import { describe, expect, it } from 'vitest';
import type { Collection } from '../collector.ts';
import { FamilySet } from './families.ts';
import { lockAwaitingSeries } from './lock-waits.ts';
import { addGlobalSeries, addReplicationSeries } from './status-series.ts';
import { samplesOf, valueOf } from './testing.ts';

const collect = (fill: (f: FamilySet) => void): Collection => {
  const families = new FamilySet('db:3306');
  fill(families);
  return { families: families.toFamilies() };
};

describe('addGlobalSeries', () => {
  it('maps status and variables, with an empty server_uuid on MariaDB', () => {
    const c = collect((f) =>
      addGlobalSeries(
        f,
        new Map([
          ['version', '10.11.19-MariaDB'],
          ['server_id', '7'],
          ['max_connections', '151'],
        ]),
        new Map([
          ['Questions', '1000'],
          ['Queries', '1200'],
          ['Threads_connected', '3'],
          ['Slow_queries', ''],
        ]),
      ),
    );
    expect(samplesOf(c, 'mysql_info')[0]?.labels).toEqual({
      address: 'db:3306',
      server_version: '10.11.19-MariaDB',
      server_id: '7',
      server_uuid: '',
    });
    expect(valueOf(c, 'mysql_queries_total')).toBe(1000);
    expect(valueOf(c, 'mysql_connections_max')).toBe(151);
    expect(valueOf(c, 'mysql_connections_current')).toBe(3);
    expect(samplesOf(c, 'mysql_slow_queries_total')).toEqual([]);
  });
});

describe('addReplicationSeries', () => {
  it.each([
    [
      'MySQL 8.0.22+ / MariaDB 10.5+ names',
      {
        Source_Host: 'primary',
        Source_Port: '3306',
        Source_Server_Id: '1',
        Source_UUID: 'uuid-1',
        Replica_IO_Running: 'Yes',
        Replica_IO_State: 'Waiting for source to send event',
        Replica_SQL_Running: 'No',
        Last_SQL_Error: 'Duplicate entry',
        Seconds_Behind_Source: '12',
      },
    ],
    [
      'older Slave/Master names',
      {
        Master_Host: 'primary',
        Master_Port: '3306',
        Master_Server_Id: '1',
        Master_UUID: 'uuid-1',
        Slave_IO_Running: 'Yes',
        Slave_IO_State: 'Waiting for source to send event',
        Slave_SQL_Running: 'No',
        Last_SQL_Error: 'Duplicate entry',
        Seconds_Behind_Master: '12',
      },
    ],
  ])('reads thread statuses and lag with %s', (_name, row) => {
    const c = collect((f) => addReplicationSeries(f, [new Map(Object.entries(row))]));
    const source = { source: 'primary:3306', source_server_id: '1', source_server_uuid: 'uuid-1' };
    expect(
      valueOf(c, 'mysql_replication_io_status', { ...source, state: 'Waiting for source to send event' }),
    ).toBe(1);
    expect(valueOf(c, 'mysql_replication_sql_status', { ...source, last_error: 'Duplicate entry' })).toBe(0);
    expect(valueOf(c, 'mysql_replication_lag_seconds', source)).toBe(12);
  });

  it('emits no lag while the lag is NULL (SQL thread stopped)', () => {
    const row = new Map([
      ['Slave_IO_Running', 'No'],
      ['Seconds_Behind_Master', ''],
    ]);
    const c = collect((f) => addReplicationSeries(f, [row]));
    expect(samplesOf(c, 'mysql_replication_lag_seconds')).toEqual([]);
    expect(valueOf(c, 'mysql_replication_io_status')).toBe(0);
  });
});

describe('lockAwaitingSeries', () => {
  it('counts each waiting transaction once per holder query', () => {
    const holder = { schema: 'app', user: 'web', query: 'UPDATE t SET v = 1 WHERE id = 5' };
    expect(
      lockAwaitingSeries([
        { waitingTrx: '10', ...holder },
        { waitingTrx: '10', ...holder },
        { waitingTrx: '11', ...holder },
        { waitingTrx: '12', ...holder, query: '' },
      ]),
    ).toEqual([
      { labels: { schema: 'app', user: 'web', blocking_query: 'UPDATE t SET v = ? WHERE id = ?' }, value: 2 },
      { labels: { schema: 'app', user: 'web', blocking_query: '' }, value: 1 },
    ]);
  });
});

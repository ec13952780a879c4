/**
 * The performance_schema part of a scrape: read the digest and table I/O summaries, diff them
 * against the previous snapshots, emit the top 20 of each.
 *
 * With performance_schema OFF (the default on MariaDB; it can only be turned on at server start)
 * the collector emits `mysql_performance_schema_available 0` and no mysql_top_* series. With it
 * ON, those appear from the second scrape on (the first only takes the snapshots).
 */
import {
  diffDigests,
  diffTableIo,
  digestSnapshot,
  PICOSECONDS_PER_SECOND,
  tableIoSnapshot,
  topBy,
  type DigestSnapshot,
  type TableIoSnapshot,
} from './digests.ts';
import type { FamilySet } from './families.ts';
import { readDigests, readTableIo, type Run } from './queries.ts';

export const TOP_N = 20;

export interface PerfSchemaState {
  readonly digests: DigestSnapshot;
  readonly tableIo: TableIoSnapshot;
}

/** Emits the series and returns the snapshots for the next call. */
export async function collectPerfSchema(
  run: Run,
  families: FamilySet,
  previous: PerfSchemaState | undefined,
): Promise<PerfSchemaState> {
  const digestRows = await readDigests(run);
  const digests = digestSnapshot(digestRows, performance.now(), previous?.digests);
  const tableIo = tableIoSnapshot(await readTableIo(run), performance.now());
  if (previous === undefined) return { digests, tableIo };

  const digestSeconds = (digests.atMs - previous.digests.atMs) / 1000;
  if (digestSeconds > 0) {
    const deltas = diffDigests(previous.digests, digests);
    for (const d of topBy(deltas, (x) => x.timePs, TOP_N)) {
      const labels = { schema: d.schema, query: d.query };
      families.add('mysql_top_query_calls_per_second', d.calls / digestSeconds, labels);
      families.add(
        'mysql_top_query_time_per_second',
        d.timePs / PICOSECONDS_PER_SECOND / digestSeconds,
        labels,
      );
      families.add(
        'mysql_top_query_lock_time_per_second',
        d.lockTimePs / PICOSECONDS_PER_SECOND / digestSeconds,
        labels,
      );
    }
  }
  const ioSeconds = (tableIo.atMs - previous.tableIo.atMs) / 1000;
  if (ioSeconds > 0) {
    const deltas = diffTableIo(previous.tableIo, tableIo);
    for (const d of topBy(deltas, (x) => x.readPs + x.writePs, TOP_N)) {
      const perSecond = (ps: number): number => ps / PICOSECONDS_PER_SECOND / ioSeconds;
      const table = { schema: d.schema, table: d.table };
      families.add('mysql_top_table_io_wait_time_per_second', perSecond(d.readPs), {
        ...table,
        operation: 'read',
      });
      families.add('mysql_top_table_io_wait_time_per_second', perSecond(d.writePs), {
        ...table,
        operation: 'write',
      });
    }
  }
  return { digests, tableIo };
}

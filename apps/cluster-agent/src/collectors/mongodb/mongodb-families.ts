/**
 * MongoDB's command answers as metric families, every sample labelled `address`:
 *
 * | series                                | labels      | from                                        |
 * | ------------------------------------- | ----------- | ------------------------------------------- |
 * | `mongo_up`                            |             | the round succeeded                         |
 * | `mongo_info` (1)                      | server_version | `buildInfo.version`                      |
 * | `mongo_rs_status` (1)                 | rs, role    | `replSetGetStatus`: set name, this member's `stateStr` lowercased (primary, secondary, arbiter, …) |
 * | `mongo_rs_last_applied_timestamp_ms`  | rs          | this member's `optimeDate` (`optimes.lastAppliedWallTime` when present) |
 * | `mongo_database_size_bytes`           | db          | `listDatabases.databases[].sizeOnDisk`      |
 *
 * A server that is not a replica set member has no `mongo_rs_*` series.
 */
import type { MetricFamily } from '@vigil/agent-kit';

export interface MongoAnswers {
  readonly buildInfo: { readonly version?: unknown };
  /** Undefined when the server is not a replica set member. */
  readonly replSetStatus?: {
    readonly set?: unknown;
    readonly members?: ReadonlyArray<{
      readonly self?: unknown;
      readonly stateStr?: unknown;
      readonly optimeDate?: unknown;
      readonly optimes?: { readonly lastAppliedWallTime?: unknown };
    }>;
  };
  readonly databases: ReadonlyArray<{ readonly name?: unknown; readonly sizeOnDisk?: unknown }>;
}

const gauge = (name: string, help: string, samples: MetricFamily['samples']): MetricFamily => ({
  name,
  type: 'gauge',
  help,
  samples,
});

export function mongoUpFamily(address: string, up: 0 | 1): MetricFamily {
  return gauge('mongo_up', 'Whether the last collection from the MongoDB server succeeded.', [
    { labels: { address }, value: up },
  ]);
}

function timeMs(v: unknown): number | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string' || typeof v === 'number') {
    const t = new Date(v).getTime();
    return Number.isFinite(t) ? t : undefined;
  }
  return undefined;
}

export function mongoFamilies(address: string, a: MongoAnswers): MetricFamily[] {
  const families = [
    mongoUpFamily(address, 1),
    gauge('mongo_info', 'The server version (value 1).', [
      { labels: { address, server_version: String(a.buildInfo.version ?? '') }, value: 1 },
    ]),
  ];
  const self = a.replSetStatus?.members?.find((m) => m.self === true);
  if (a.replSetStatus && self) {
    const rs = String(a.replSetStatus.set ?? '');
    families.push(
      gauge('mongo_rs_status', 'This member in its replica set (value 1), by role.', [
        { labels: { address, rs, role: String(self.stateStr ?? 'unknown').toLowerCase() }, value: 1 },
      ]),
    );
    const applied = timeMs(self.optimes?.lastAppliedWallTime) ?? timeMs(self.optimeDate);
    if (applied !== undefined)
      families.push(
        gauge(
          'mongo_rs_last_applied_timestamp_ms',
          'When the last operation this member applied was written, Unix ms.',
          [{ labels: { address, rs }, value: applied }],
        ),
      );
  }
  const sizes = a.databases
    .filter((d) => typeof d.name === 'string' && Number.isFinite(Number(d.sizeOnDisk)))
    .map((d) => ({ labels: { address, db: d.name as string }, value: Number(d.sizeOnDisk) }));
  if (sizes.length > 0)
    families.push(gauge('mongo_database_size_bytes', 'Size of each database on disk.', sizes));
  return families;
}

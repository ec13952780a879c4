/**
 * RDS instances of one region: `DescribeDBInstances`, page by page (`Marker`), kept when their
 * `TagList` (part of the answer since 2019, so no `ListTagsForResource` per instance) matches the
 * tag filters. Read into a plain record with Coroot's identifiers (`<region>/<identifier>`).
 */
import { DescribeDBInstancesCommand, type DBInstance, type RDSClient } from '@aws-sdk/client-rds';
import { tagsMatch } from './aws-config.ts';

/** An RDS instance as the series and the database targets need it. */
export interface RdsInstance {
  /** `<region>/<DBInstanceIdentifier>`: the `rds_instance_id` label. */
  readonly id: string;
  readonly identifier: string;
  readonly region: string;
  readonly status: string;
  readonly engine: string;
  readonly engineVersion: string;
  readonly instanceClass: string;
  readonly storageType: string;
  readonly multiAz: boolean;
  readonly availabilityZone: string;
  readonly secondaryAvailabilityZone: string;
  /** `<region>/<DBClusterIdentifier>` (Aurora), or empty. */
  readonly clusterId: string;
  /** `<region>/<identifier>` of the instance this one replicates, or empty. */
  readonly sourceInstanceId: string;
  readonly readReplicaIds: readonly string[];
  readonly endpoint?: { readonly address: string; readonly port: number };
  readonly allocatedStorageGib: number;
  readonly maxAllocatedStorageGib: number;
  readonly provisionedIops: number;
  readonly backupRetentionDays: number;
  /** Enhanced Monitoring interval; 0: off. */
  readonly monitoringIntervalS: number;
  /** The Enhanced Monitoring log stream's name. */
  readonly dbiResourceId?: string;
}

/** Guards against a service that keeps answering the same marker. */
const MAX_PAGES = 1_000;

export async function discoverRdsInstances(
  client: RDSClient,
  region: string,
  tagFilters: Readonly<Record<string, string>> | undefined,
): Promise<RdsInstance[]> {
  const out: RdsInstance[] = [];
  let marker: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await client.send(new DescribeDBInstancesCommand(marker ? { Marker: marker } : {}));
    for (const raw of answer.DBInstances ?? []) {
      const tags = new Map((raw.TagList ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
      if (raw.DBInstanceIdentifier && tagsMatch(tagFilters, tags)) out.push(toRdsInstance(region, raw));
    }
    if (!answer.Marker || answer.Marker === marker) break;
    marker = answer.Marker;
  }
  return out;
}

export function toRdsInstance(region: string, raw: DBInstance): RdsInstance {
  const identifier = raw.DBInstanceIdentifier ?? '';
  const address = raw.Endpoint?.Address;
  return {
    id: `${region}/${identifier}`,
    identifier,
    region,
    status: raw.DBInstanceStatus ?? '',
    engine: raw.Engine ?? '',
    engineVersion: raw.EngineVersion ?? '',
    instanceClass: raw.DBInstanceClass ?? '',
    storageType: raw.StorageType ?? '',
    multiAz: raw.MultiAZ ?? false,
    availabilityZone: raw.AvailabilityZone ?? '',
    secondaryAvailabilityZone: raw.SecondaryAvailabilityZone ?? '',
    clusterId: idWithRegion(region, raw.DBClusterIdentifier),
    sourceInstanceId: idWithRegion(region, raw.ReadReplicaSourceDBInstanceIdentifier),
    readReplicaIds: (raw.ReadReplicaDBInstanceIdentifiers ?? []).map((r) => idWithRegion(region, r)),
    ...(address && raw.Endpoint?.Port ? { endpoint: { address, port: raw.Endpoint.Port } } : {}),
    allocatedStorageGib: raw.AllocatedStorage ?? 0,
    maxAllocatedStorageGib: raw.MaxAllocatedStorage ?? 0,
    provisionedIops: raw.Iops ?? 0,
    backupRetentionDays: raw.BackupRetentionPeriod ?? 0,
    monitoringIntervalS: raw.MonitoringInterval ?? 0,
    ...(raw.DbiResourceId ? { dbiResourceId: raw.DbiResourceId } : {}),
  };
}

/**
 * `<region>/<id>` for an identifier that is either plain (same region) or an ARN — a
 * cross-region replica or source is named by ARN (`arn:aws:rds:eu-central-1:…:db:shop-db-dr`),
 * and its region is the ARN's, not ours.
 */
export function idWithRegion(region: string, id: string | undefined): string {
  if (!id) return '';
  if (!id.startsWith('arn:')) return `${region}/${id}`;
  const parts = id.split(':');
  const arnRegion = parts[3] ?? '';
  // arn:partition:service:region:account:resource-type:name
  const name = parts.length > 6 ? parts.slice(6).join(':') : (parts[5] ?? '');
  return `${arnRegion || region}/${name}`;
}

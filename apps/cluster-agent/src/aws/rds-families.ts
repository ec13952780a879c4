/**
 * The RDS series, named and labelled as Coroot's cluster agent exports them (its server builds
 * RDS applications from `aws_rds_info`); every sample carries `rds_instance_id`
 * (`<region>/<identifier>`).
 *
 * | family                                            | labels                                  | source                          |
 * |---------------------------------------------------|-----------------------------------------|---------------------------------|
 * | aws_rds_info                                      | region, availability_zone, endpoint, ipv4, port, engine, engine_version, instance_type, storage_type, multi_az, secondary_availability_zone, cluster_id, source_instance_id | DescribeDBInstances (1) |
 * | aws_rds_status                                    | status                                  | DBInstanceStatus (1)            |
 * | aws_rds_allocated_storage_gibibytes               |                                         | AllocatedStorage                |
 * | aws_rds_storage_autoscaling_threshold_gibibytes   |                                         | MaxAllocatedStorage (0: none)   |
 * | aws_rds_storage_provisioned_iops                  |                                         | Iops (0: none)                  |
 * | aws_rds_backup_retention_period_days              |                                         | BackupRetentionPeriod           |
 * | aws_rds_read_replica_info                         | replica_instance_id                     | ReadReplicaDBInstanceIdentifiers|
 *
 * With Enhanced Monitoring, the OS series of os-metrics-families.ts.
 */
import type { MetricFamily } from '@vigil/agent-kit';
import { Gauges } from './gauges.ts';
import type { RdsInstance } from './rds-discovery.ts';

const HELP = {
  aws_rds_info: 'RDS instance placement, engine and storage (constant 1).',
  aws_rds_status: 'RDS instance status, as DBInstanceStatus says (constant 1).',
  aws_rds_allocated_storage_gibibytes: 'Allocated storage.',
  aws_rds_storage_autoscaling_threshold_gibibytes: 'Storage autoscaling limit (0: autoscaling off).',
  aws_rds_storage_provisioned_iops: 'Provisioned IOPS (0: none).',
  aws_rds_backup_retention_period_days: 'Days automated backups are kept.',
  aws_rds_read_replica_info: 'A read replica of the instance (constant 1).',
} as const;

/**
 * The instance series. `ipv4` is the endpoint's address as resolved during discovery (Coroot's
 * server matches it against the connections node agents see), empty when it did not resolve.
 */
export function rdsFamilies(
  instances: readonly RdsInstance[],
  ipv4: ReadonlyMap<string, string>,
): MetricFamily[] {
  const g = new Gauges(HELP);
  for (const i of instances) {
    const id = { rds_instance_id: i.id };
    g.add(
      'aws_rds_info',
      {
        ...id,
        region: i.region,
        availability_zone: i.availabilityZone,
        endpoint: i.endpoint?.address ?? '',
        ipv4: (i.endpoint && ipv4.get(i.endpoint.address)) ?? '',
        port: i.endpoint ? String(i.endpoint.port) : '',
        engine: i.engine,
        engine_version: i.engineVersion,
        instance_type: i.instanceClass,
        storage_type: i.storageType,
        multi_az: String(i.multiAz),
        secondary_availability_zone: i.secondaryAvailabilityZone,
        cluster_id: i.clusterId,
        source_instance_id: i.sourceInstanceId,
      },
      1,
    );
    g.add('aws_rds_status', { ...id, status: i.status }, 1);
    g.add('aws_rds_allocated_storage_gibibytes', id, i.allocatedStorageGib);
    g.add('aws_rds_storage_autoscaling_threshold_gibibytes', id, i.maxAllocatedStorageGib);
    g.add('aws_rds_storage_provisioned_iops', id, i.provisionedIops);
    g.add('aws_rds_backup_retention_period_days', id, i.backupRetentionDays);
    for (const replica of i.readReplicaIds)
      g.add('aws_rds_read_replica_info', { ...id, replica_instance_id: replica }, 1);
  }
  return g.toFamilies();
}

/**
 * The ElastiCache series, as Coroot's cluster agent exports them: one "instance" per cache node,
 * `ec_instance_id` = `<region>/<cache cluster>/<node>`.
 *
 * | family                 | labels                                                                 |
 * |------------------------|------------------------------------------------------------------------|
 * | aws_elasticache_info   | region, availability_zone, endpoint, ipv4, port, engine, engine_version, instance_type, cluster_id (replication group, else cache cluster) |
 * | aws_elasticache_status | status (CacheNodeStatus)                                               |
 */
import type { MetricFamily } from '@vigil/agent-kit';
import type { CacheNodeInfo } from './elasticache-discovery.ts';
import { Gauges } from './gauges.ts';

const HELP = {
  aws_elasticache_info: 'ElastiCache node placement and engine (constant 1).',
  aws_elasticache_status: 'ElastiCache node status, as CacheNodeStatus says (constant 1).',
} as const;

export function elasticacheFamilies(
  nodes: readonly CacheNodeInfo[],
  ipv4: ReadonlyMap<string, string>,
): MetricFamily[] {
  const g = new Gauges(HELP);
  for (const node of nodes) {
    const id = { ec_instance_id: node.id };
    g.add(
      'aws_elasticache_info',
      {
        ...id,
        region: node.region,
        availability_zone: node.availabilityZone,
        endpoint: node.endpoint?.address ?? '',
        ipv4: (node.endpoint && ipv4.get(node.endpoint.address)) ?? '',
        port: node.endpoint ? String(node.endpoint.port) : '',
        engine: node.engine,
        engine_version: node.engineVersion,
        instance_type: node.nodeType,
        cluster_id: node.clusterId,
      },
      1,
    );
    g.add('aws_elasticache_status', { ...id, status: node.status }, 1);
  }
  return g.toFamilies();
}

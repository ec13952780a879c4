/**
 * ElastiCache nodes of one region: `DescribeCacheClusters` with `ShowCacheNodeInfo` (without it
 * the answer has no nodes), page by page (`Marker`). The answer carries no tags, so with tag
 * filters each cluster's tags are asked with `ListTagsForResource`; a cluster whose tags cannot
 * be read is left out and the error reported, the others are kept.
 */
import {
  DescribeCacheClustersCommand,
  ListTagsForResourceCommand,
  type CacheCluster,
  type ElastiCacheClient,
} from '@aws-sdk/client-elasticache';
import { awsErrorText } from './aws-clients.ts';
import { tagsMatch } from './aws-config.ts';

/** One cache node (Coroot's ElastiCache "instance"). */
export interface CacheNodeInfo {
  /** `<region>/<CacheClusterId>/<CacheNodeId>`: the `ec_instance_id` label. */
  readonly id: string;
  readonly region: string;
  /** The replication group, or the cache cluster when it is in none. */
  readonly clusterId: string;
  readonly status: string;
  readonly engine: string;
  readonly engineVersion: string;
  readonly nodeType: string;
  readonly availabilityZone: string;
  readonly endpoint?: { readonly address: string; readonly port: number };
}

export interface CacheDiscovery {
  readonly nodes: CacheNodeInfo[];
  /** Tag lookups that failed (the clusters concerned are left out). */
  readonly errors: string[];
}

const MAX_PAGES = 1_000;

export async function discoverCacheNodes(
  client: ElastiCacheClient,
  region: string,
  tagFilters: Readonly<Record<string, string>> | undefined,
): Promise<CacheDiscovery> {
  const nodes: CacheNodeInfo[] = [];
  const errors: string[] = [];
  let marker: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await client.send(
      new DescribeCacheClustersCommand({ ShowCacheNodeInfo: true, ...(marker ? { Marker: marker } : {}) }),
    );
    for (const cluster of answer.CacheClusters ?? []) {
      if (!cluster.CacheClusterId) continue;
      if (tagFilters && Object.keys(tagFilters).length > 0) {
        try {
          if (!tagsMatch(tagFilters, await clusterTags(client, cluster))) continue;
        } catch (err) {
          errors.push(`tags of ${cluster.CacheClusterId}: ${awsErrorText(err)}`);
          continue;
        }
      }
      nodes.push(...toCacheNodes(region, cluster));
    }
    if (!answer.Marker || answer.Marker === marker) break;
    marker = answer.Marker;
  }
  return { nodes, errors };
}

async function clusterTags(client: ElastiCacheClient, cluster: CacheCluster): Promise<Map<string, string>> {
  if (!cluster.ARN) return new Map();
  const answer = await client.send(new ListTagsForResourceCommand({ ResourceName: cluster.ARN }));
  return new Map((answer.TagList ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

export function toCacheNodes(region: string, cluster: CacheCluster): CacheNodeInfo[] {
  const clusterId = cluster.ReplicationGroupId || cluster.CacheClusterId || '';
  return (cluster.CacheNodes ?? []).map((node) => {
    const address = node.Endpoint?.Address;
    return {
      id: `${region}/${cluster.CacheClusterId}/${node.CacheNodeId ?? ''}`,
      region,
      clusterId,
      status: node.CacheNodeStatus ?? '',
      engine: cluster.Engine ?? '',
      engineVersion: cluster.EngineVersion ?? '',
      nodeType: cluster.CacheNodeType ?? '',
      availabilityZone: node.CustomerAvailabilityZone ?? '',
      ...(address && node.Endpoint?.Port ? { endpoint: { address, port: node.Endpoint.Port } } : {}),
    };
  });
}

/**
 * One discovery round: RDS and ElastiCache are asked side by side, then Enhanced Monitoring for
 * the RDS instances that have it, then the endpoints' addresses. A service that fails does not
 * stop the others; its error is returned by service, for `aws_discovery_error`.
 */
import { awsErrorText, type AwsClients } from './aws-clients.ts';
import type { AwsConfig } from './aws-config.ts';
import { mapLimit, withTimeout } from './concurrency.ts';
import { discoverCacheNodes, type CacheNodeInfo } from './elasticache-discovery.ts';
import { latestOsMetrics, type OsMetrics } from './enhanced-monitoring.ts';
import { discoverRdsInstances, type RdsInstance } from './rds-discovery.ts';

/** The `service` label of `aws_discovery_error`. */
export const AWS_SERVICES = ['rds', 'elasticache', 'cloudwatch_logs'] as const;
export type AwsService = (typeof AWS_SERVICES)[number];

export interface RoundResult {
  /** Undefined: the list could not be read this round. */
  readonly rds?: RdsInstance[];
  readonly cacheNodes?: CacheNodeInfo[];
  /** Enhanced Monitoring documents by `rds_instance_id`. */
  readonly osMetrics: Map<string, OsMetrics>;
  /** Endpoint DNS name → IPv4 address. */
  readonly ipv4: Map<string, string>;
  readonly errors: Map<AwsService, string>;
}

export interface RoundInput {
  readonly clients: AwsClients;
  readonly config: AwsConfig;
  /** The last list read, for Enhanced Monitoring when RDS cannot be listed this round. */
  readonly knownRds: readonly RdsInstance[];
  readonly nowMs: number;
  readonly lookupIpv4: (hostname: string) => Promise<string | undefined>;
}

// CloudWatch Logs allows GetLogEvents at a modest rate per account; a few at a time is plenty.
const LOG_READS_AT_ONCE = 4;
const LOOKUP_TIMEOUT_MS = 5_000;

export async function discoveryRound(input: RoundInput): Promise<RoundResult> {
  const { clients, config } = input;
  const errors = new Map<AwsService, string>();
  const [rds, cache] = await Promise.allSettled([
    discoverRdsInstances(clients.rds, config.region, config.rdsTagFilters),
    discoverCacheNodes(clients.elasticache, config.region, config.elasticacheTagFilters),
  ]);
  if (rds.status === 'rejected') errors.set('rds', awsErrorText(rds.reason));
  if (cache.status === 'rejected') errors.set('elasticache', awsErrorText(cache.reason));
  else if (cache.value.errors.length > 0) errors.set('elasticache', summarize(cache.value.errors));

  const instances = rds.status === 'fulfilled' ? rds.value : input.knownRds;
  const monitored = instances.filter((i) => i.monitoringIntervalS > 0 && i.dbiResourceId);
  const logErrors: string[] = [];
  const osMetrics = new Map<string, OsMetrics>();
  await mapLimit(monitored, LOG_READS_AT_ONCE, async (i) => {
    // A few intervals back: the newest document, but never one from before monitoring stopped.
    const lookbackMs = Math.max(5 * 60_000, 3 * i.monitoringIntervalS * 1000);
    try {
      const doc = await latestOsMetrics(clients.logs, i.dbiResourceId!, input.nowMs, lookbackMs);
      if (doc) osMetrics.set(i.id, doc);
    } catch (err) {
      logErrors.push(`${i.id}: ${awsErrorText(err)}`);
    }
  });
  if (logErrors.length > 0) errors.set('cloudwatch_logs', summarize(logErrors));

  const cacheNodes = cache.status === 'fulfilled' ? cache.value.nodes : undefined;
  const hosts = new Set<string>();
  for (const i of instances) if (i.endpoint) hosts.add(i.endpoint.address);
  for (const n of cacheNodes ?? []) if (n.endpoint) hosts.add(n.endpoint.address);
  const ipv4 = new Map<string, string>();
  await mapLimit([...hosts], 8, async (host) => {
    const ip = await withTimeout(
      input.lookupIpv4(host).catch(() => undefined),
      LOOKUP_TIMEOUT_MS,
      undefined,
    );
    if (ip) ipv4.set(host, ip);
  });

  return {
    ...(rds.status === 'fulfilled' ? { rds: rds.value } : {}),
    ...(cacheNodes ? { cacheNodes } : {}),
    osMetrics,
    ipv4,
    errors,
  };
}

/** The first error and how many more: a label value must stay short and stable. */
function summarize(errors: readonly string[]): string {
  return errors.length === 1 ? errors[0]! : `${errors[0]} (and ${errors.length - 1} more)`;
}

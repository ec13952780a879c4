/**
 * Discovery against testing/fake-aws.ts: the real SDK clients, pointed at a local server that
 * answers with recorded RDS, ElastiCache and CloudWatch Logs responses in their wire formats
 * (AWS cannot be reached from here).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MetricFamily } from '@vigil/agent-kit';
import type { AwsConfig } from './aws-config.ts';
import { startAwsDiscovery, type AwsDiscovery } from './aws-discovery.ts';
import { startFakeAws, type FakeAws } from './testing/fake-aws.ts';
import { recordingLogger } from './testing/recording-logger.ts';

const KEYS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const NOW = Date.parse('2026-11-27T09:39:30Z');
const ADDRESSES = new Map([
  ['shop-db.c7xk2mq9d1ab.eu-west-1.rds.amazonaws.com', '10.20.1.17'],
  ['billing-mysql.c7xk2mq9d1ab.eu-west-1.rds.amazonaws.com', '10.20.3.41'],
  ['sessions-001.sessions.q4hz7n.euw1.cache.amazonaws.com', '10.20.1.88'],
]);

/** The value of the one sample of `name` whose labels include `labels`. */
function value(
  families: MetricFamily[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const samples = families.find((f) => f.name === name)?.samples ?? [];
  const found = samples.filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${found.length} samples`);
  return found[0]?.value;
}
const labelsOf = (families: MetricFamily[], name: string) =>
  (families.find((f) => f.name === name)?.samples ?? []).map((s) => s.labels);

describe('AWS discovery against recorded AWS answers', () => {
  let fake: FakeAws;
  let discovery: AwsDiscovery | undefined;
  let config: AwsConfig | undefined;
  const logger = recordingLogger();
  const start = (overrides: Partial<AwsConfig> = {}) => {
    config = { region: 'eu-west-1', ...KEYS, endpoint: fake.url, ...overrides };
    discovery = startAwsDiscovery({
      config: () => config,
      logger,
      intervalMs: 3_600_000,
      now: () => NOW,
      lookupIpv4: (host) => Promise.resolve(ADDRESSES.get(host)),
    });
    return discovery;
  };

  beforeAll(async () => {
    fake = await startFakeAws({ ...KEYS, pageSize: 1, eventTimeMs: NOW - 30_000 });
  });
  afterEach(async () => {
    await discovery?.stop();
    fake.requests.length = 0;
    fake.fail('rds', undefined);
    fake.fail('elasticache', undefined);
    fake.fail('logs', undefined);
    logger.lines.length = 0;
  });
  afterAll(() => fake.close());

  it('exports RDS instances, Enhanced Monitoring and ElastiCache nodes, page by page', async () => {
    const d = start();
    await d.refresh();
    const f = d.families();
    expect(labelsOf(f, 'aws_rds_info')).toEqual([
      {
        rds_instance_id: 'eu-west-1/shop-db',
        region: 'eu-west-1',
        availability_zone: 'eu-west-1a',
        endpoint: 'shop-db.c7xk2mq9d1ab.eu-west-1.rds.amazonaws.com',
        ipv4: '10.20.1.17',
        port: '5432',
        engine: 'postgres',
        engine_version: '16.3',
        instance_type: 'db.m6g.large',
        storage_type: 'gp3',
        multi_az: 'true',
        secondary_availability_zone: 'eu-west-1b',
        cluster_id: '',
        source_instance_id: '',
      },
      expect.objectContaining({
        rds_instance_id: 'eu-west-1/billing-mysql',
        engine: 'mysql',
        multi_az: 'false',
      }),
    ]);
    expect(labelsOf(f, 'aws_rds_status')).toEqual([
      { rds_instance_id: 'eu-west-1/shop-db', status: 'available' },
      { rds_instance_id: 'eu-west-1/billing-mysql', status: 'backing-up' },
    ]);
    const shop = { rds_instance_id: 'eu-west-1/shop-db' };
    expect(value(f, 'aws_rds_allocated_storage_gibibytes', shop)).toBe(100);
    expect(value(f, 'aws_rds_storage_autoscaling_threshold_gibibytes', shop)).toBe(500);
    expect(value(f, 'aws_rds_storage_provisioned_iops', shop)).toBe(3000);
    expect(value(f, 'aws_rds_backup_retention_period_days', shop)).toBe(7);
    // A cross-region replica is named by ARN; its id takes the ARN's region.
    expect(labelsOf(f, 'aws_rds_read_replica_info')).toEqual([
      { ...shop, replica_instance_id: 'eu-central-1/shop-db-dr' },
    ]);
    // Enhanced Monitoring, for shop-db only (billing-mysql has MonitoringInterval 0).
    expect(value(f, 'aws_rds_cpu_cores', shop)).toBe(2);
    expect(value(f, 'aws_rds_cpu_usage_percent', { ...shop, mode: 'user' })).toBe(22.68);
    expect(value(f, 'aws_rds_cpu_usage_percent', { ...shop, mode: 'wait' })).toBe(1.27);
    expect(value(f, 'aws_rds_memory_total_bytes', shop)).toBe(7999848 * 1024);
    expect(value(f, 'aws_rds_fs_used_bytes', { ...shop, mount_point: '/rdsdbdata' })).toBe(23873692 * 1024);
    expect(value(f, 'aws_rds_io_ops_per_second', { ...shop, device: 'nvme1n1', operation: 'write' })).toBe(
      85.82,
    );
    expect(value(f, 'aws_rds_io_await_seconds', { ...shop, device: 'nvme1n1' })).toBeCloseTo(0.00118, 8);
    expect(value(f, 'aws_rds_net_rx_bytes_per_second', { ...shop, interface: 'eth0' })).toBe(1893412.35);
    expect(value(f, 'aws_rds_cpu_cores', { rds_instance_id: 'eu-west-1/billing-mysql' })).toBeUndefined();

    expect(labelsOf(f, 'aws_elasticache_info')).toContainEqual({
      ec_instance_id: 'eu-west-1/sessions-001/0001',
      region: 'eu-west-1',
      availability_zone: 'eu-west-1a',
      endpoint: 'sessions-001.sessions.q4hz7n.euw1.cache.amazonaws.com',
      ipv4: '10.20.1.88',
      port: '6379',
      engine: 'redis',
      engine_version: '7.1.0',
      instance_type: 'cache.r6g.large',
      cluster_id: 'sessions',
    });
    expect(labelsOf(f, 'aws_elasticache_status')).toEqual([
      { ec_instance_id: 'eu-west-1/sessions-001/0001', status: 'available' },
      { ec_instance_id: 'eu-west-1/sessions-002/0001', status: 'rebooting cache cluster nodes' },
      { ec_instance_id: 'eu-west-1/catalog-cache/0001', status: 'available' },
      { ec_instance_id: 'eu-west-1/catalog-cache/0002', status: 'available' },
    ]);
    expect(labelsOf(f, 'aws_discovery_error')).toEqual([
      { service: 'rds', error: '' },
      { service: 'elasticache', error: '' },
      { service: 'cloudwatch_logs', error: '' },
    ]);
    expect(value(f, 'aws_discovery_error', { service: 'rds' })).toBe(0);

    // One page per item (pageSize 1): the markers were followed to the end.
    const calls = (action: string) => fake.requests.filter((r) => r.action === action);
    expect(calls('DescribeDBInstances').map((r) => r.params.Marker)).toEqual([undefined, 'MQ']);
    expect(calls('DescribeCacheClusters').map((r) => r.params.Marker)).toEqual([undefined, 'MQ', 'Mg']);
    expect(calls('DescribeCacheClusters')[0]!.params.ShowCacheNodeInfo).toBe('true');
    expect(calls('GetLogEvents').map((r) => r.params)).toEqual([
      {
        logGroupName: 'RDSOSMetrics',
        logStreamName: 'db-7G3WJ4ZKQH5XUCJ2RNLPT6VYSM',
        startTime: NOW - 5 * 60_000,
        startFromHead: false,
        limit: 1,
      },
    ]);
    expect(new Set(fake.requests.map((r) => r.region))).toEqual(new Set(['eu-west-1']));
    expect(d.status()).toEqual({ enabled: true, lastRefreshMs: NOW });
  });

  it('keeps only what matches the tag filters', async () => {
    const d = start({ rdsTagFilters: { env: 'prod' }, elasticacheTagFilters: { team: 'sh*' } });
    await d.refresh();
    const f = d.families();
    expect(labelsOf(f, 'aws_rds_status').map((l) => l.rds_instance_id)).toEqual(['eu-west-1/shop-db']);
    expect(labelsOf(f, 'aws_elasticache_status').map((l) => l.ec_instance_id)).toEqual([
      'eu-west-1/sessions-001/0001',
      'eu-west-1/sessions-002/0001',
    ]);
    // RDS answers carry their tags; ElastiCache's must be asked per cluster.
    expect(
      fake.requests.filter((r) => r.action === 'ListTagsForResource').map((r) => r.params.ResourceName),
    ).toEqual([
      'arn:aws:elasticache:eu-west-1:123456789012:cluster:sessions-001',
      'arn:aws:elasticache:eu-west-1:123456789012:cluster:sessions-002',
      'arn:aws:elasticache:eu-west-1:123456789012:cluster:catalog-cache',
    ]);
  });

  it('reports a failing service in aws_discovery_error and keeps discovering with the others', async () => {
    fake.fail('elasticache', 'AccessDenied');
    fake.fail('logs', 'AccessDenied');
    const d = start();
    await d.refresh();
    const f = d.families();
    const ecError = labelsOf(f, 'aws_discovery_error').find((l) => l.service === 'elasticache')!.error!;
    expect(ecError).toMatch(
      /^AccessDenied: User: .* is not authorized to perform: elasticache:DescribeCacheClusters/,
    );
    expect(value(f, 'aws_discovery_error', { service: 'elasticache' })).toBe(1);
    expect(value(f, 'aws_discovery_error', { service: 'cloudwatch_logs' })).toBe(1);
    expect(value(f, 'aws_discovery_error', { service: 'rds' })).toBe(0);
    expect(labelsOf(f, 'aws_rds_status')).toHaveLength(2);
    expect(labelsOf(f, 'aws_elasticache_status')).toEqual([]);
    expect(d.status().error).toMatch(
      /^elasticache: AccessDenied: .*; cloudwatch_logs: eu-west-1\/shop-db: AccessDeniedException/,
    );
    expect(
      logger.lines.filter((l) => l.level === 'warn').map((l) => (l.fields as { service: string }).service),
    ).toEqual(['elasticache', 'cloudwatch_logs']);

    fake.fail('elasticache', undefined);
    fake.fail('logs', undefined);
    await d.refresh();
    expect(value(d.families(), 'aws_discovery_error', { service: 'elasticache' })).toBe(0);
    expect(labelsOf(d.families(), 'aws_elasticache_status')).toHaveLength(4);
    expect(d.status().error).toBeUndefined();
    expect(logger.lines.filter((l) => l.msg === 'AWS discovery works again')).toHaveLength(2);
  });

  it('surfaces a wrong access key or secret as the error AWS answers', async () => {
    const d = start({ accessKeyId: 'AKIAI44QH8DHBEXAMPLE' });
    await d.refresh();
    expect(d.status().error).toBe(
      'rds: InvalidClientTokenId: The security token included in the request is invalid.; ' +
        'elasticache: InvalidClientTokenId: The security token included in the request is invalid.',
    );
    expect(labelsOf(d.families(), 'aws_rds_info')).toEqual([]);
    await d.stop();

    const d2 = start({ secretAccessKey: 'not-the-secret' });
    await d2.refresh();
    expect(d2.status().error).toMatch(
      /^rds: SignatureDoesNotMatch: .*; elasticache: SignatureDoesNotMatch: /,
    );
  });

  it('rebuilds its clients when the configuration changes and stops asking when it goes away', async () => {
    const d = start({ secretAccessKey: 'an-old-secret' });
    await d.refresh();
    expect(value(d.families(), 'aws_discovery_error', { service: 'rds' })).toBe(1);

    config = { ...config!, secretAccessKey: KEYS.secretAccessKey, rdsTagFilters: { team: 'billing' } };
    await d.refresh();
    expect(value(d.families(), 'aws_discovery_error', { service: 'rds' })).toBe(0);
    expect(labelsOf(d.families(), 'aws_rds_status').map((l) => l.rds_instance_id)).toEqual([
      'eu-west-1/billing-mysql',
    ]);

    config = undefined;
    fake.requests.length = 0;
    await d.refresh();
    expect(d.families()).toEqual([]);
    expect(d.status()).toEqual({ enabled: false });
    expect(fake.requests).toEqual([]);
  });

  it('notices a new configuration on its own, without waiting for the next interval', async () => {
    config = undefined;
    discovery = startAwsDiscovery({
      config: () => config,
      logger,
      intervalMs: 50,
      lookupIpv4: () => Promise.resolve(undefined),
    });
    await new Promise((r) => setTimeout(r, 120));
    expect(fake.requests).toEqual([]);
    config = { region: 'eu-west-1', ...KEYS, endpoint: fake.url };
    await expect.poll(() => labelsOf(discovery!.families(), 'aws_rds_status').length).toBe(2);
  });

  it('lists RDS Postgres and MySQL endpoints as database targets when credentials exist', async () => {
    const d = start();
    await d.refresh();
    expect(d.databaseTargets(() => undefined)).toEqual([]);
    const asked: string[] = [];
    const targets = d.databaseTargets((id, engine) => {
      asked.push(`${id} ${engine}`);
      return id === 'eu-west-1/billing-mysql'
        ? { username: 'vigil', password: 'm0nitor' }
        : { username: 'vigil' };
    });
    expect(asked).toEqual(['eu-west-1/shop-db postgres', 'eu-west-1/billing-mysql mysql']);
    expect(targets).toEqual([
      {
        type: 'postgres',
        host: 'shop-db.c7xk2mq9d1ab.eu-west-1.rds.amazonaws.com',
        port: 5432,
        credentials: { username: 'vigil' },
        instance: '/aws/rds/eu-west-1/shop-db',
      },
      {
        type: 'mysql',
        host: 'billing-mysql.c7xk2mq9d1ab.eu-west-1.rds.amazonaws.com',
        port: 3306,
        credentials: { username: 'vigil', password: 'm0nitor' },
        instance: '/aws/rds/eu-west-1/billing-mysql',
      },
    ]);
  });

  it('leaves out an Enhanced Monitoring document older than its look-back', async () => {
    const stale = await startFakeAws({ ...KEYS, eventTimeMs: NOW - 6 * 60_000 });
    try {
      const d = start({ endpoint: stale.url });
      await d.refresh();
      expect(
        value(d.families(), 'aws_rds_cpu_cores', { rds_instance_id: 'eu-west-1/shop-db' }),
      ).toBeUndefined();
      expect(value(d.families(), 'aws_discovery_error', { service: 'cloudwatch_logs' })).toBe(0);
    } finally {
      await stale.close();
    }
  });
});

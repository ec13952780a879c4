/**
 * The Redis series the cluster agent exports, from a parsed `INFO ALL`. Names and labels follow
 * redis_exporter, which Coroot's Redis inspections query. Every sample carries `address`.
 *
 * | family                                     | type    | labels                | INFO source                   |
 * |--------------------------------------------|---------|-----------------------|-------------------------------|
 * | redis_up                                   | gauge   |                       | 1 when INFO answered          |
 * | redis_instance_info                        | gauge   | redis_version, role   | constant 1                    |
 * | redis_uptime_seconds                       | gauge   |                       | uptime_in_seconds             |
 * | redis_connected_clients, redis_blocked_clients | gauge |                     | connected_/blocked_clients    |
 * | redis_memory_used_bytes                    | gauge   |                       | used_memory                   |
 * | redis_memory_max_bytes                     | gauge   |                       | maxmemory (0: no limit)       |
 * | redis_evicted_keys_total, redis_expired_keys_total | counter |              | evicted_keys, expired_keys    |
 * | redis_keyspace_hits_total, _misses_total   | counter |                       | keyspace_hits/misses          |
 * | redis_keyspace_keys, redis_keyspace_expires| gauge   | db (`db0`)            | Keyspace section              |
 * | redis_commands_total                       | counter | cmd                   | cmdstat_* calls               |
 * | redis_commands_duration_seconds_total      | counter | cmd                   | cmdstat_* usec / 1e6          |
 * | redis_commands_rejected_calls_total        | counter | cmd                   | cmdstat_* rejected_calls (6.2+) |
 * | redis_commands_failed_calls_total          | counter | cmd                   | cmdstat_* failed_calls (6.2+) |
 * | redis_connected_slaves                     | gauge   |                       | connected_slaves              |
 * | redis_master_link_up                       | gauge   |                       | master_link_status (replicas) |
 */
import type { MetricFamily, Sample } from '@vigil/agent-kit';
import { infoNumber, type RedisInfo } from './redis-info.ts';

type Labels = Record<string, string>;

/** `redis_up 0` alone: what a failed collection exports. */
export function redisDownFamilies(address: string): MetricFamily[] {
  return [upFamily(address, 0)];
}

export function redisFamilies(info: RedisInfo, address: string): MetricFamily[] {
  const base: Labels = { address };
  const families: MetricFamily[] = [upFamily(address, 1)];
  const push = (name: string, type: MetricFamily['type'], help: string, samples: Sample[]): void => {
    if (samples.length > 0) families.push({ name, type, help, samples });
  };
  const field = (name: string, type: MetricFamily['type'], help: string, source: string): void => {
    const value = infoNumber(info, source);
    push(name, type, help, value === undefined ? [] : [{ labels: base, value }]);
  };

  push('redis_instance_info', 'gauge', 'Redis version and replication role (constant 1).', [
    {
      labels: {
        ...base,
        redis_version: info.fields.get('redis_version') ?? '',
        role: info.fields.get('role') ?? '',
      },
      value: 1,
    },
  ]);
  field('redis_uptime_seconds', 'gauge', 'Seconds since the server started.', 'uptime_in_seconds');
  field('redis_connected_clients', 'gauge', 'Client connections (not replicas).', 'connected_clients');
  field('redis_blocked_clients', 'gauge', 'Clients blocked in BLPOP and the like.', 'blocked_clients');
  field('redis_memory_used_bytes', 'gauge', 'Bytes allocated by Redis.', 'used_memory');
  field('redis_memory_max_bytes', 'gauge', 'The maxmemory setting; 0 means no limit.', 'maxmemory');
  field('redis_evicted_keys_total', 'counter', 'Keys evicted because of maxmemory.', 'evicted_keys');
  field('redis_expired_keys_total', 'counter', 'Keys deleted because they expired.', 'expired_keys');
  field('redis_keyspace_hits_total', 'counter', 'Successful key lookups.', 'keyspace_hits');
  field('redis_keyspace_misses_total', 'counter', 'Failed key lookups.', 'keyspace_misses');
  field('redis_connected_slaves', 'gauge', 'Replicas connected to this server.', 'connected_slaves');
  const link = info.fields.get('master_link_status');
  if (link !== undefined) {
    push('redis_master_link_up', 'gauge', 'Whether this replica is connected to its master.', [
      { labels: base, value: link === 'up' ? 1 : 0 },
    ]);
  }

  const perDb = (pick: (db: RedisInfo['keyspace'][number]) => number): Sample[] =>
    info.keyspace.map((db) => ({ labels: { ...base, db: db.db }, value: pick(db) }));
  push(
    'redis_keyspace_keys',
    'gauge',
    'Keys per database.',
    perDb((db) => db.keys),
  );
  push(
    'redis_keyspace_expires',
    'gauge',
    'Keys with an expiry per database.',
    perDb((db) => db.expires),
  );

  const perCmd = (pick: (c: RedisInfo['commands'][number]) => number | undefined): Sample[] => {
    const samples: Sample[] = [];
    for (const c of info.commands) {
      const value = pick(c);
      if (value !== undefined) samples.push({ labels: { ...base, cmd: c.cmd }, value });
    }
    return samples;
  };
  push(
    'redis_commands_total',
    'counter',
    'Calls per command.',
    perCmd((c) => c.calls),
  );
  push(
    'redis_commands_duration_seconds_total',
    'counter',
    'Seconds spent executing each command.',
    perCmd((c) => c.usec / 1e6),
  );
  push(
    'redis_commands_rejected_calls_total',
    'counter',
    'Calls rejected before execution (unknown command, wrong arity, ACL, OOM…).',
    perCmd((c) => c.rejectedCalls),
  );
  push(
    'redis_commands_failed_calls_total',
    'counter',
    'Calls that failed during execution.',
    perCmd((c) => c.failedCalls),
  );
  return families;
}

function upFamily(address: string, value: 0 | 1): MetricFamily {
  return {
    name: 'redis_up',
    type: 'gauge',
    help: 'Whether the last collection from the Redis server succeeded.',
    samples: [{ labels: { address }, value }],
  };
}

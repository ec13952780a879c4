import { readFileSync } from 'node:fs';
import type { MetricFamily } from '@vigil/agent-kit';
import { describe, expect, it } from 'vitest';
import { redisDownFamilies, redisFamilies } from './redis-families.ts';
import { parseRedisInfo } from './redis-info.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');
const address = '127.0.0.1:6393';

/** The value of the sample of `name` whose labels include `labels`; undefined when there is none. */
function valueOf(
  families: MetricFamily[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const family = families.find((f) => f.name === name);
  const sample = family?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return sample?.value;
}

describe('redisFamilies', () => {
  const master = redisFamilies(parseRedisInfo(fixture('info-all-master-7.0.txt')), address);
  const replica = redisFamilies(parseRedisInfo(fixture('info-all-replica-7.0.txt')), address);

  it.each<{ name: string; labels: Record<string, string>; value: number }>([
    { name: 'redis_up', labels: {}, value: 1 },
    { name: 'redis_instance_info', labels: { redis_version: '7.0.15', role: 'master' }, value: 1 },
    { name: 'redis_uptime_seconds', labels: {}, value: 8 },
    { name: 'redis_connected_clients', labels: {}, value: 1 },
    { name: 'redis_blocked_clients', labels: {}, value: 0 },
    { name: 'redis_memory_used_bytes', labels: {}, value: 1207136 },
    { name: 'redis_memory_max_bytes', labels: {}, value: 0 },
    { name: 'redis_evicted_keys_total', labels: {}, value: 0 },
    { name: 'redis_keyspace_keys', labels: { db: 'db0' }, value: 4 },
    { name: 'redis_keyspace_expires', labels: { db: 'db0' }, value: 1 },
    { name: 'redis_keyspace_keys', labels: { db: 'db2' }, value: 1 },
    { name: 'redis_commands_total', labels: { cmd: 'set' }, value: 4 },
    { name: 'redis_commands_total', labels: { cmd: 'config|get' }, value: 1 },
    { name: 'redis_commands_duration_seconds_total', labels: { cmd: 'set' }, value: 0.000034 },
    { name: 'redis_commands_failed_calls_total', labels: { cmd: 'incr' }, value: 1 },
    { name: 'redis_commands_rejected_calls_total', labels: { cmd: 'incr' }, value: 0 },
    { name: 'redis_connected_slaves', labels: {}, value: 1 },
  ])('exports $name $labels = $value from a master INFO', ({ name, labels, value }) => {
    expect(valueOf(master, name, { address, ...labels })).toBeCloseTo(value, 9);
  });

  it('exports the replica role and its link to the master, which a master does not have', () => {
    expect(valueOf(replica, 'redis_instance_info', { role: 'slave' })).toBe(1);
    expect(valueOf(replica, 'redis_master_link_up')).toBe(1);
    expect(valueOf(replica, 'redis_connected_slaves')).toBe(0);
    expect(valueOf(master, 'redis_master_link_up')).toBeUndefined();
  });

  it('labels every sample with the address and types counters as counters', () => {
    for (const family of [...master, ...replica]) {
      expect(family.samples.length).toBeGreaterThan(0);
      for (const sample of family.samples) expect(sample.labels.address).toBe(address);
      expect(family.type).toBe(family.name.endsWith('_total') ? 'counter' : 'gauge');
    }
  });

  it('reports only redis_up 0 when the server could not be collected', () => {
    expect(redisDownFamilies(address)).toEqual([
      expect.objectContaining({ name: 'redis_up', samples: [{ labels: { address }, value: 0 }] }),
    ]);
  });
});

/**
 * The memcached series the cluster agent exports, from a `stats` reply. Names and labels follow
 * prometheus/memcached_exporter, which Coroot's Memcached inspections query. Every sample
 * carries `address`.
 *
 * | family                          | type    | labels          | stats source          |
 * |---------------------------------|---------|-----------------|-----------------------|
 * | memcached_up                    | gauge   |                 | 1 when stats answered |
 * | memcached_version               | gauge   | version         | constant 1            |
 * | memcached_uptime_seconds        | counter |                 | uptime                |
 * | memcached_limit_bytes           | gauge   |                 | limit_maxbytes        |
 * | memcached_current_bytes         | gauge   |                 | bytes                 |
 * | memcached_current_items         | gauge   |                 | curr_items            |
 * | memcached_current_connections   | gauge   |                 | curr_connections      |
 * | memcached_items_evicted_total   | counter |                 | evictions             |
 * | memcached_read_bytes_total      | counter |                 | bytes_read            |
 * | memcached_written_bytes_total   | counter |                 | bytes_written         |
 * | memcached_commands_total        | counter | command, status | see COMMANDS below    |
 *
 * `memcached_commands_total` counts per key, as memcached does: `get a b` is two gets.
 */
import type { MetricFamily, Sample } from '@vigil/agent-kit';
import { statNumber } from './memcached-stats.ts';

type Stats = ReadonlyMap<string, string>;

/**
 * command × status → the stat that counts it. memcached has no hit/miss for storage commands:
 * every set/add/replace/append/prepend/cas increments `cmd_set`, so `set` is reported as `hit`
 * with the CAS attempts (counted separately below) taken out; `flush` (flush_all) likewise.
 * `get_expired`/`get_flushed` are left out because they are already part of `get_misses`.
 */
const COMMANDS: ReadonlyArray<readonly [command: string, status: string, stat: string]> = [
  ['get', 'hit', 'get_hits'],
  ['get', 'miss', 'get_misses'],
  ['delete', 'hit', 'delete_hits'],
  ['delete', 'miss', 'delete_misses'],
  ['incr', 'hit', 'incr_hits'],
  ['incr', 'miss', 'incr_misses'],
  ['decr', 'hit', 'decr_hits'],
  ['decr', 'miss', 'decr_misses'],
  ['touch', 'hit', 'touch_hits'],
  ['touch', 'miss', 'touch_misses'],
  ['cas', 'hit', 'cas_hits'],
  ['cas', 'miss', 'cas_misses'],
  ['cas', 'badval', 'cas_badval'],
  ['flush', 'hit', 'cmd_flush'],
];

/** `memcached_up 0` alone: what a failed collection exports. */
export function memcachedDownFamilies(address: string): MetricFamily[] {
  return [upFamily(address, 0)];
}

export function memcachedFamilies(stats: Stats, address: string): MetricFamily[] {
  const base = { address };
  const families: MetricFamily[] = [upFamily(address, 1)];
  const push = (name: string, type: MetricFamily['type'], help: string, samples: Sample[]): void => {
    if (samples.length > 0) families.push({ name, type, help, samples });
  };
  const field = (name: string, type: MetricFamily['type'], help: string, stat: string): void => {
    const value = statNumber(stats, stat);
    push(name, type, help, value === undefined ? [] : [{ labels: base, value }]);
  };

  const version = stats.get('version');
  if (version !== undefined) {
    push('memcached_version', 'gauge', 'The memcached version (constant 1).', [
      { labels: { ...base, version }, value: 1 },
    ]);
  }
  field('memcached_uptime_seconds', 'counter', 'Seconds since the server started.', 'uptime');
  field('memcached_limit_bytes', 'gauge', 'Memory the server may use for items (-m).', 'limit_maxbytes');
  field('memcached_current_bytes', 'gauge', 'Bytes used by the stored items.', 'bytes');
  field('memcached_current_items', 'gauge', 'Items stored.', 'curr_items');
  field('memcached_current_connections', 'gauge', 'Open client connections.', 'curr_connections');
  field('memcached_items_evicted_total', 'counter', 'Valid items evicted to free memory.', 'evictions');
  field('memcached_read_bytes_total', 'counter', 'Bytes read from the network.', 'bytes_read');
  field('memcached_written_bytes_total', 'counter', 'Bytes written to the network.', 'bytes_written');
  push(
    'memcached_commands_total',
    'counter',
    'Commands by command and outcome.',
    commandSamples(stats, base),
  );
  return families;
}

function commandSamples(stats: Stats, base: { address: string }): Sample[] {
  const samples: Sample[] = [];
  for (const [command, status, stat] of COMMANDS) {
    const value = statNumber(stats, stat);
    if (value !== undefined) samples.push({ labels: { ...base, command, status }, value });
  }
  const sets = statNumber(stats, 'cmd_set');
  if (sets !== undefined) {
    const cas = ['cas_hits', 'cas_misses', 'cas_badval'].reduce(
      (sum, s) => sum + (statNumber(stats, s) ?? 0),
      0,
    );
    samples.push({ labels: { ...base, command: 'set', status: 'hit' }, value: Math.max(0, sets - cas) });
  }
  return samples;
}

function upFamily(address: string, value: 0 | 1): MetricFamily {
  return {
    name: 'memcached_up',
    type: 'gauge',
    help: 'Whether the last collection from the memcached server succeeded.',
    samples: [{ labels: { address }, value }],
  };
}

import { readFileSync } from 'node:fs';
import type { MetricFamily } from '@vigil/agent-kit';
import { describe, expect, it } from 'vitest';
import { memcachedDownFamilies, memcachedFamilies } from './memcached-families.ts';
import { parseStats, statNumber } from './memcached-stats.ts';

// Captured from memcached 1.6.18 after: set a, set b, get a, get a b, get zz, delete a,
// delete zz, incr zz, touch b, gets b, cas b (ok), cas b (stale), cas nope, flush_all.
const captured = readFileSync(new URL('./testdata/stats-1.6.18.txt', import.meta.url), 'utf8');
const address = '127.0.0.1:11299';

function valueOf(
  families: MetricFamily[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const family = families.find((f) => f.name === name);
  return family?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

describe('parseStats', () => {
  it('reads every STAT line of a captured reply', () => {
    const stats = parseStats(captured);
    expect(stats.get('version')).toBe('1.6.18');
    expect(stats.get('libevent')).toBe('2.1.12-stable');
    expect(statNumber(stats, 'limit_maxbytes')).toBe(67108864);
    expect(statNumber(stats, 'version')).toBeUndefined();
    expect(stats.has('END')).toBe(false);
  });

  it.each([
    { name: 'an empty reply', text: '', size: 0 },
    { name: 'LF endings and a value with spaces', text: 'STAT a 1\nSTAT b x y\nEND\n', size: 2 },
    { name: 'lines without a value', text: 'STAT lonely\r\nnoise\r\n', size: 0 },
  ])('copes with $name', ({ text, size }) => {
    expect(parseStats(text).size).toBe(size);
  });
});

describe('memcachedFamilies', () => {
  const families = memcachedFamilies(parseStats(captured), address);

  it.each<{ name: string; labels: Record<string, string>; value: number }>([
    { name: 'memcached_up', labels: {}, value: 1 },
    { name: 'memcached_version', labels: { version: '1.6.18' }, value: 1 },
    { name: 'memcached_limit_bytes', labels: {}, value: 67108864 },
    { name: 'memcached_current_items', labels: {}, value: 1 },
    { name: 'memcached_current_bytes', labels: {}, value: 61 },
    { name: 'memcached_current_connections', labels: {}, value: 1 },
    { name: 'memcached_items_evicted_total', labels: {}, value: 0 },
    { name: 'memcached_read_bytes_total', labels: {}, value: 186 },
    { name: 'memcached_written_bytes_total', labels: {}, value: 142 },
    { name: 'memcached_uptime_seconds', labels: {}, value: 14 },
    { name: 'memcached_commands_total', labels: { command: 'get', status: 'hit' }, value: 4 },
    { name: 'memcached_commands_total', labels: { command: 'get', status: 'miss' }, value: 1 },
    // cmd_set 5 counts the three cas attempts too
    { name: 'memcached_commands_total', labels: { command: 'set', status: 'hit' }, value: 2 },
    { name: 'memcached_commands_total', labels: { command: 'cas', status: 'hit' }, value: 1 },
    { name: 'memcached_commands_total', labels: { command: 'cas', status: 'miss' }, value: 1 },
    { name: 'memcached_commands_total', labels: { command: 'cas', status: 'badval' }, value: 1 },
    { name: 'memcached_commands_total', labels: { command: 'delete', status: 'hit' }, value: 1 },
    { name: 'memcached_commands_total', labels: { command: 'delete', status: 'miss' }, value: 1 },
    { name: 'memcached_commands_total', labels: { command: 'incr', status: 'miss' }, value: 1 },
    { name: 'memcached_commands_total', labels: { command: 'touch', status: 'hit' }, value: 1 },
    { name: 'memcached_commands_total', labels: { command: 'flush', status: 'hit' }, value: 1 },
  ])('exports $name $labels = $value', ({ name, labels, value }) => {
    expect(valueOf(families, name, { address, ...labels })).toBe(value);
  });

  it('labels every sample with the address and gives each command/status pair one sample', () => {
    for (const family of families) {
      for (const sample of family.samples) expect(sample.labels.address).toBe(address);
    }
    const commands = families.find((f) => f.name === 'memcached_commands_total')?.samples ?? [];
    const pairs = commands.map((s) => `${s.labels.command}/${s.labels.status}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(pairs).toHaveLength(15);
  });

  it('leaves out what an older server does not report instead of exporting zeros', () => {
    const old = memcachedFamilies(parseStats('STAT version 1.4.5\r\nSTAT get_hits 3\r\nEND\r\n'), address);
    expect(old.map((f) => f.name)).toEqual(['memcached_up', 'memcached_version', 'memcached_commands_total']);
  });

  it('reports only memcached_up 0 when the server could not be collected', () => {
    expect(memcachedDownFamilies(address)).toEqual([
      expect.objectContaining({ name: 'memcached_up', samples: [{ labels: { address }, value: 0 }] }),
    ]);
  });
});

import { describe, expect, test } from 'vitest';
import { networkTotal, nextNodeSort, sortNodes, type NodeSort } from './node-rows.ts';
import type { NodeRow } from './node-types.ts';

const row = (
  hostname: string,
  cpu: number | null,
  mem: number | null,
  instances: number,
  up = true,
  network: [number | null, number | null] = [null, null],
): NodeRow => ({
  name: `${hostname}-id`,
  hostname,
  ips: [],
  cpuCores: 4,
  cpuUsagePercent: cpu,
  cpuUsagePercentMax: cpu,
  memoryTotalBytes: 8 * 1024 ** 3,
  memoryUsedPercent: mem,
  networkReceivedBytesPerSecond: network[0],
  networkTransmittedBytesPerSecond: network[1],
  instances,
  up,
});

// Network both ways: b 300 B/s, a 250 (in only; out unknown), c none.
const rows = [
  row('b', 50, 20, 3, true, [100, 200]),
  row('a', 90, null, 7, true, [250, null]),
  row('c', null, 60, 1, false),
];

describe('sortNodes', () => {
  test.each<[NodeSort, string[]]>([
    [{ column: 'name', descending: false }, ['a', 'b', 'c']],
    [{ column: 'name', descending: true }, ['c', 'b', 'a']],
    [{ column: 'cpu', descending: true }, ['a', 'b', 'c']],
    [{ column: 'cpu', descending: false }, ['b', 'a', 'c']],
    [{ column: 'memory', descending: true }, ['c', 'b', 'a']],
    [{ column: 'network', descending: true }, ['b', 'a', 'c']],
    [{ column: 'network', descending: false }, ['a', 'b', 'c']],
    [{ column: 'containers', descending: false }, ['c', 'b', 'a']],
    [{ column: 'status', descending: true }, ['c', 'a', 'b']],
  ])('%o → %o (no figure sorts last)', (sort, expected) => {
    expect(sortNodes(rows, sort).map((r) => r.hostname)).toEqual(expected);
  });
});

describe('nextNodeSort', () => {
  test.each<[NodeSort, 'name' | 'cpu', NodeSort]>([
    [{ column: 'cpu', descending: true }, 'cpu', { column: 'cpu', descending: false }],
    [{ column: 'cpu', descending: true }, 'name', { column: 'name', descending: false }],
    [{ column: 'name', descending: false }, 'cpu', { column: 'cpu', descending: true }],
  ])('%o then %s → %o', (current, column, expected) => {
    expect(nextNodeSort(current, column)).toEqual(expected);
  });
});

describe('networkTotal', () => {
  test.each<[number | null, number | null, number | null]>([
    [100, 200, 300],
    [250, null, 250],
    [null, 7, 7],
    [null, null, null],
    [0, 0, 0],
  ])('in %s, out %s → %s', (rx, tx, expected) => {
    expect(networkTotal(row('x', 1, 1, 1, true, [rx, tx]))).toBe(expected);
  });
});

import { describe, expect, it, test } from 'vitest';
import { interfaceTraffic, isDuplicateInterface, nodeTraffic } from './node-network.ts';
import { gridFor, type TimeSeries } from './time-series.ts';

const grid = gridFor(0, 30_000, 15_000);
const series = (...values: number[]): TimeSeries => ({ grid, values: Float64Array.from(values) });

describe('isDuplicateInterface', () => {
  test.each<[string, boolean]>([
    ['eth0', false],
    ['ens5', false],
    ['enp0s31f6', false],
    ['wlan0', false],
    ['eno1', false],
    ['lo', true],
    ['long0', false],
    ['veth3f2a1b9', true],
    ['docker0', true],
    ['br-5c1d2e3f4a5b', true],
    ['cni0', true],
    ['flannel.1', true],
    ['eth0.100', true],
    ['vxlan.calico', true],
    ['cali1234abcd', true],
    ['cilium_host', true],
    ['lxc9a8b7c', true],
    ['tunl0', true],
    ['wg0', true],
    ['bond0', true],
    ['virbr0', true],
    ['kube-ipvs0', true],
    ['ifb0', true],
  ])('%s → %s', (name, expected) => {
    expect(isDuplicateInterface(name)).toBe(expected);
  });
});

describe('nodeTraffic', () => {
  it('sums the host NICs each way and leaves out loopback and container interfaces', () => {
    const network = new Map([
      [
        'eth0',
        { receivedBytesPerSecond: series(100, 200, NaN), transmittedBytesPerSecond: series(10, 20, 30) },
      ],
      [
        'eth1',
        { receivedBytesPerSecond: series(1, NaN, 3), transmittedBytesPerSecond: series(NaN, NaN, NaN) },
      ],
      [
        'lo',
        { receivedBytesPerSecond: series(1e6, 1e6, 1e6), transmittedBytesPerSecond: series(1e6, 1e6, 1e6) },
      ],
      [
        'veth1',
        { receivedBytesPerSecond: series(5e5, 5e5, 5e5), transmittedBytesPerSecond: series(5e5, 5e5, 5e5) },
      ],
    ]);
    const total = nodeTraffic(grid, network);
    expect([...total.receivedBytesPerSecond.values]).toEqual([101, 200, 3]);
    expect([...total.transmittedBytesPerSecond.values]).toEqual([10, 20, 30]);
  });

  it('is a gap, not zero, when a node has no interface that counts', () => {
    const lo = new Map([
      ['lo', { receivedBytesPerSecond: series(1, 2, 3), transmittedBytesPerSecond: series(1, 2, 3) }],
    ]);
    expect([...nodeTraffic(grid, lo).receivedBytesPerSecond.values].every(Number.isNaN)).toBe(true);
  });
});

describe('interfaceTraffic', () => {
  it('pairs the two directions by interface and leaves a gap where one is missing', () => {
    const traffic = interfaceTraffic(
      grid,
      [
        { labels: { interface: 'eth0' }, series: series(1, 2, 3) },
        { labels: { interface: 'ens5' }, series: series(4, 5, 6) },
      ],
      [{ labels: { interface: 'eth0' }, series: series(7, 8, 9) }],
    );
    expect([...traffic.keys()]).toEqual(['ens5', 'eth0']);
    expect([...traffic.get('eth0')!.transmittedBytesPerSecond.values]).toEqual([7, 8, 9]);
    expect([...traffic.get('ens5')!.transmittedBytesPerSecond.values].every(Number.isNaN)).toBe(true);
  });
});

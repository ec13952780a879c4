/**
 * `container_net_latency_seconds` from the real `ss`: a child process holds a connection to
 * this machine's Postgres, and its container must get a small, positive RTT to 127.0.0.1
 * (loopback RTTs are tens of µs, never 0). A second child in a network namespace of its own
 * (root: `unshare --net`, an address on its `lo`) is read through `nsenter`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { postgresAvailable, serviceGate } from '@vigil/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { otherNetnsPids, socketOwners } from '../discovery/listen-sockets.ts';
import { SocketLatency } from './socket-latency.ts';

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

const ssInstalled = (): boolean =>
  ['/usr/bin/ss', '/usr/sbin/ss', '/bin/ss', '/sbin/ss'].some((p) => existsSync(p));
const labelsOf = (id: string): Record<string, string> => ({ container_id: id, app_id: id });

/** Starts `file args`; resolves once it prints `connected`. */
async function connectedChild(file: string, args: readonly string[]): Promise<ChildProcess> {
  const child = spawn(file, [...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.includes('connected') && resolve());
    child.once('exit', (code) => reject(new Error(`child exited with ${code} before connecting`)));
  });
  return child;
}

describe('SocketLatency on this machine', () => {
  it('gives the container of a process connected to Postgres a small positive RTT to 127.0.0.1', async () => {
    if (!serviceGate('ss (iproute2)', ssInstalled(), 'apt-get install iproute2')) return;
    if (!serviceGate('Postgres on 127.0.0.1:5432', await postgresAvailable(), 'start postgresql')) return;
    const child = await connectedChild(process.execPath, [
      '-e',
      `const s = require('node:net').connect(5432, '127.0.0.1', () => process.stdout.write('connected\\n'));
       s.on('error', () => {});
       setInterval(() => {}, 1000);`,
    ]);
    const pid = child.pid!;
    const latency = new SocketLatency();
    const family = await latency.collect({
      inodeOwner: await socketOwners([pid]),
      containerOf: (p) => (p === pid ? '/host/child' : '/other'),
      labelsOf,
    });
    expect(latency.unavailable).toBeUndefined();
    const sample = family.samples.find((s) => s.labels.container_id === '/host/child');
    expect(sample?.labels).toEqual({
      container_id: '/host/child',
      app_id: '/host/child',
      destination_ip: '127.0.0.1',
    });
    expect(sample!.value).toBeGreaterThan(0);
    expect(sample!.value).toBeLessThan(0.1);
  });

  it('reads a process in its own network namespace through nsenter, leaving its loopback out', async () => {
    const usable =
      process.getuid?.() === 0 &&
      ssInstalled() &&
      existsSync('/usr/bin/unshare') &&
      existsSync('/usr/bin/nsenter');
    if (!serviceGate('root, unshare and nsenter', usable, 'run as root with util-linux')) return;
    // Inside the namespace: 10.200.0.1 on its own lo (no traffic leaves it), a listener there and
    // on 127.0.0.1, and a connection to each.
    const script = `const net = require('node:net');
      const open = (host) => new Promise((resolve) => {
        const server = net.createServer(() => {}).listen(0, host, () => {
          const socket = net.connect(server.address().port, host, () => resolve(socket));
        });
      });
      Promise.all([open('10.200.0.1'), open('127.0.0.1')]).then(() => process.stdout.write('connected\\n'));
      setInterval(() => {}, 1000);`;
    const child = await connectedChild('unshare', [
      '--net',
      'sh',
      '-c',
      `ip link set lo up && ip addr add 10.200.0.1/32 dev lo && exec "$0" -e "$1"`,
      process.execPath,
      script,
    ]);
    const pid = child.pid!;
    const netnsPids = await otherNetnsPids([process.pid, pid]);
    expect(netnsPids).toEqual([pid]);
    const family = await new SocketLatency().collect({
      inodeOwner: await socketOwners([pid]),
      containerOf: (p) => (p === pid ? '/host/isolated' : '/other'),
      labelsOf,
      netnsPids,
    });
    const mine = family.samples.filter((s) => s.labels.container_id === '/host/isolated');
    expect(mine.map((s) => s.labels.destination_ip)).toEqual(['10.200.0.1']);
    expect(mine[0]!.value).toBeGreaterThan(0);
    expect(mine[0]!.value).toBeLessThan(0.1);
  });
});

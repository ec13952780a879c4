/**
 * The procfs fallback against real sockets: a child process opens three connections to a
 * listener this test holds on 127.0.0.1, and after a poll the tracker must count three
 * successful connects and three active connections for the child's container; once the child
 * closes them, a poll must bring active connections to 0 (connects stay counted). Reading other
 * users' `/proc/<pid>/fd` needs root; the child is this test's own, so it runs without.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import type { MetricFamily } from '@vigil/agent-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { ProcfsConnections } from './procfs-connections.ts';
import { TcpTracker } from './tcp-tracker.ts';

const accepted: net.Socket[] = [];
const server = net.createServer((socket) => {
  accepted.push(socket);
  socket.on('error', () => undefined);
});
let child: ChildProcess | undefined;

afterAll(async () => {
  child?.kill('SIGKILL');
  for (const socket of accepted) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The value of `name` for the sample with these container and destination labels. */
function valueOf(
  families: readonly MetricFamily[],
  name: string,
  container: string,
  destination: string,
): number | undefined {
  return families
    .find((f) => f.name === name)
    ?.samples.find((s) => s.labels.container_id === container && s.labels.destination === destination)?.value;
}

/** Resolves with the next line the child prints that matches. */
function line(proc: ChildProcess, expected: string): Promise<void> {
  return new Promise((resolve) => {
    const onData = (d: Buffer): void => {
      if (!d.toString().includes(expected)) return;
      proc.stdout!.off('data', onData);
      resolve();
    };
    proc.stdout!.on('data', onData);
  });
}

describe('ProcfsConnections on real sockets', () => {
  it('sees a child’s three connections open, then closed', async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const destination = `127.0.0.1:${port}`;

    // Connects three times when told `open` (says `opened`), closes them on `close` (`closed`).
    child = spawn(
      process.execPath,
      [
        '-e',
        `const net = require('node:net');
         let sockets = [];
         require('node:readline').createInterface({ input: process.stdin }).on('line', async (cmd) => {
           if (cmd === 'open') {
             sockets = await Promise.all([0, 1, 2].map(() => new Promise((resolve) => {
               const s = net.connect(${port}, '127.0.0.1', () => resolve(s));
             })));
             process.stdout.write('opened\\n');
           } else if (cmd === 'close') {
             await Promise.all(sockets.map((s) => new Promise((resolve) => { s.once('close', resolve); s.destroy(); })));
             process.stdout.write('closed\\n');
           }
         });`,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const pid = child.pid!;
    const tracker = new TcpTracker((p) => (p === pid ? '/host/child' : '/other'));
    const procfs = new ProcfsConnections(tracker);
    const labelsOf = (id: string): Record<string, string> => ({ container_id: id, app_id: id });

    await procfs.poll(); // what was open before the child connects
    expect(
      valueOf(
        tracker.families(labelsOf),
        'container_net_tcp_successful_connects_total',
        '/host/child',
        destination,
      ),
    ).toBeUndefined();

    const opened = line(child, 'opened');
    child.stdin!.write('open\n');
    await opened;
    await procfs.poll();
    let families = tracker.families(labelsOf);
    expect(valueOf(families, 'container_net_tcp_successful_connects_total', '/host/child', destination)).toBe(
      3,
    );
    expect(valueOf(families, 'container_net_tcp_active_connections', '/host/child', destination)).toBe(3);
    // The accepting side, held by this test process, is inbound: nothing for '/other'.
    expect(
      valueOf(families, 'container_net_tcp_successful_connects_total', '/other', destination),
    ).toBeUndefined();

    await procfs.poll(); // a second look at the same sockets counts nothing twice
    families = tracker.families(labelsOf);
    expect(valueOf(families, 'container_net_tcp_successful_connects_total', '/host/child', destination)).toBe(
      3,
    );

    const closed = line(child, 'closed');
    child.stdin!.write('close\n');
    await closed;
    await procfs.poll();
    families = tracker.families(labelsOf);
    expect(valueOf(families, 'container_net_tcp_active_connections', '/host/child', destination)).toBe(0);
    expect(valueOf(families, 'container_net_tcp_successful_connects_total', '/host/child', destination)).toBe(
      3,
    );
    expect(
      valueOf(families, 'container_net_tcp_failed_connects_total', '/host/child', destination),
    ).toBeUndefined();
  });
});

import net from 'node:net';
import { canConnect, serviceGate } from '@vigil/testkit';
import { describe, expect, it } from 'vitest';
import { formatHexAddress, listenAddresses, listeningSockets } from './listen-sockets.ts';
import { readProcesses } from './process-info.ts';

describe('formatHexAddress', () => {
  it.each([
    ['0100007F:1538', '127.0.0.1:5432'],
    ['00000000:0CEA', '0.0.0.0:3306'],
    ['00000000000000000000000001000000:18EB', '[::1]:6379'],
    ['00000000000000000000000000000000:1111', '[::]:4369'],
    ['0000000000000000FFFF00000100007F:0050', '[::ffff:127.0.0.1]:80'],
    ['B80D0120000000000000000001000000:01BB', '[2001:db8::1]:443'],
  ])('%s → %s', (hex, address) => {
    expect(formatHexAddress(hex)).toBe(address);
  });
});

describe('listeningSockets', () => {
  it('keeps LISTEN rows only, by inode', () => {
    const tcp4 = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   105        0 4996 1 0 100 0 0 10 0',
      '   1: 0100007F:9C40 0100007F:1538 01 00000000:00000000 00:00000000 00000000     0        0 7777 1 0 20 4 30 10 -1',
    ].join('\n');
    expect(listeningSockets(tcp4, '')).toEqual(new Map([[4996, '127.0.0.1:5432']]));
  });
});

describe('listenAddresses on this machine', () => {
  it('finds a listener this process opens, on 127.0.0.1 and ::1', async () => {
    const v4 = net.createServer();
    const v6 = net.createServer();
    await new Promise<void>((resolve) => v4.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => v6.listen(0, '::1', resolve));
    try {
      const p4 = (v4.address() as net.AddressInfo).port;
      const p6 = (v6.address() as net.AddressInfo).port;
      const found = (await listenAddresses([process.pid])).get(process.pid) ?? [];
      expect(found).toContain(`127.0.0.1:${p4}`);
      expect(found).toContain(`[::1]:${p6}`);
    } finally {
      v4.close();
      v6.close();
    }
  });

  it('finds the Postgres and Redis servers listening where they accept connections', async () => {
    const root = process.getuid?.() === 0;
    if (!serviceGate('root (to read other processes’ open files)', root, 'run the tests as root')) return;
    const up = (await canConnect('127.0.0.1', 5432)) && (await canConnect('127.0.0.1', 6379));
    if (!serviceGate('Postgres on :5432 and Redis on :6379', up, 'start them as the README says')) return;
    const processes = await readProcesses();
    const listening = await listenAddresses(processes.map((p) => p.pid));
    const addressesOf = (type: string): string[] =>
      processes.filter((p) => p.appType === type).flatMap((p) => listening.get(p.pid) ?? []);
    expect(addressesOf('postgres')).toContain('127.0.0.1:5432');
    expect(addressesOf('redis')).toContain('127.0.0.1:6379');
  });
});

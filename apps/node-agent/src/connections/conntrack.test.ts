import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '@vigil/testkit';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseNatEntries, resolveNat } from './conntrack.ts';

// As /proc/net/nf_conntrack printed them on this machine (the first after a DNAT rule
// 127.0.0.77:5555 → 127.0.0.1:5432 in OUTPUT); the IPv6 line in the kernel's format (%pI6: full groups).
const TABLE = [
  'ipv4     2 tcp      6 431999 ESTABLISHED src=127.0.0.1 dst=127.0.0.77 sport=35540 dport=5555 src=127.0.0.1 dst=127.0.0.1 sport=5432 dport=35540 [ASSURED] mark=0 zone=0 use=2',
  'ipv4     2 tcp      6 119 TIME_WAIT src=127.0.0.1 dst=127.0.0.1 sport=40100 dport=6379 src=127.0.0.1 dst=127.0.0.1 sport=6379 dport=40100 [ASSURED] mark=0 zone=0 use=2',
  'ipv4     2 udp      17 29 src=127.0.0.1 dst=127.0.0.53 sport=5000 dport=53 src=127.0.0.1 dst=127.0.0.1 sport=5353 dport=5000 mark=0 zone=0 use=2',
  'ipv6     10 tcp      6 431999 ESTABLISHED src=2001:0db8:0000:0000:0000:0000:0000:0002 dst=fd00:0000:0000:0000:0000:0000:0000:0001 sport=41000 dport=443 src=2001:0db8:0000:0000:0000:0000:0000:00a1 dst=2001:0db8:0000:0000:0000:0000:0000:0002 sport=8443 dport=41000 [ASSURED] mark=0 zone=0 use=2',
  '',
].join('\n');

describe('parseNatEntries', () => {
  it('keeps the TCP entries whose reply comes from elsewhere than where they were sent', () => {
    expect([...parseNatEntries(TABLE)]).toEqual([
      ['127.0.0.1:35540|127.0.0.77:5555', '127.0.0.1:5432'],
      ['2001:db8:0:0:0:0:0:2:41000|fd00:0:0:0:0:0:0:1:443', '[2001:db8::a1]:8443'],
    ]);
  });
});

describe('resolveNat', () => {
  it('reads the table of each connecting process’s network namespace and answers in label form', () => {
    const { dir, cleanup } = makeTempDir('vigil-conntrack');
    onTestFinished(cleanup);
    // Two processes in one namespace, one in another whose table has no NAT.
    for (const [pid, netns, table] of [
      [10, 'net:[1]', TABLE],
      [11, 'net:[1]', TABLE],
      [12, 'net:[2]', TABLE.split('\n')[1]!],
    ] as const) {
      mkdirSync(path.join(dir, String(pid), 'ns'), { recursive: true });
      mkdirSync(path.join(dir, String(pid), 'net'));
      symlinkSync(netns, path.join(dir, String(pid), 'ns', 'net'));
      writeFileSync(path.join(dir, String(pid), 'net', 'nf_conntrack'), table);
    }
    const found = resolveNat(
      [
        { pid: 10, source: '127.0.0.1:35540', destination: '127.0.0.77:5555' },
        { pid: 11, source: '[2001:db8::2]:41000', destination: '[fd00::1]:443' },
        { pid: 12, source: '127.0.0.1:35540', destination: '127.0.0.77:5555' },
        { pid: 13, source: '127.0.0.1:1', destination: '127.0.0.77:5555' }, // gone
      ],
      dir,
    );
    expect([...found]).toEqual([
      ['127.0.0.1:35540|127.0.0.77:5555', '127.0.0.1:5432'],
      ['[2001:db8::2]:41000|[fd00::1]:443', '[2001:db8::a1]:8443'],
    ]);
  });
});

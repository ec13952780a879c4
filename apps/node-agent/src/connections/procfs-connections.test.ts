/**
 * Which sockets the procfs fallback follows, on /proc/net/tcp and /proc/net/tcp6 captured on
 * this project's machine while a process held: a listener with a full accept queue (backlog 0)
 * and three clients of it (one established, two left in SYN_SENT because the kernel drops SYNs
 * to a full queue), a dual-stack listener with an IPv4 client it accepted, a client of Redis
 * on ::1, and an IPv4-mapped IPv6 client of Postgres; plus the machine's own sockets (epmd and
 * its client, listeners, TIME_WAIT leftovers). Some listeners and TIME_WAIT rows are left out
 * of the excerpt; the rows kept are as captured.
 */
import { describe, expect, it } from 'vitest';
import { outboundSockets } from './procfs-connections.ts';

const HEADER4 =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const HEADER6 =
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';

// Full listener: 127.0.0.1:47871 (BAFF); dual-stack listener: [::]:55905 (DA61).
const TCP4 = [
  HEADER4,
  '   1: 0100007F:1111 00000000:0000 0A 00000000:00000000 00:00000000 00000000   106        0 7217 1 00000000b1c51391 100 0 0 10 0',
  '   2: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   101        0 4403 1 00000000c7ecf13e 100 0 0 10 0',
  '   4: 0100007F:18EB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4426 1 000000008ed045e5 100 0 0 10 0',
  '   8: 0100007F:BAFF 00000000:0000 0A 00000000:00000001 00:00000000 00000000     0        0 88397 2 0000000026c827e0 100 0 0 10 0',
  '  10: 0100007F:8972 0100007F:BAFF 01 00000000:00000000 00:00000000 00000000     0        0 88398 2 00000000102749f0 20 0 0 10 -1',
  '  11: 0100007F:8982 0100007F:BAFF 02 00000001:00000000 01:00000031 00000000     0        0 88399 2 0000000012f2e883 100 0 0 10 -1',
  '  12: 0100007F:8992 0100007F:BAFF 02 00000001:00000000 01:00000031 00000000     0        0 88400 2 0000000051973e4e 100 0 0 10 -1',
  '  13: 0100007F:1111 0100007F:C5AE 01 00000000:00000000 00:00000000 00000000   106        0 6736 1 00000000b673cf7f 20 4 31 11 -1',
  '  14: 0100007F:BAFF 0100007F:8972 01 00000000:00000000 00:00000000 00000000     0        0 0 1 000000007c13062c 20 0 0 10 -1',
  '  15: 0100007F:89EC 0100007F:1538 06 00000000:00000000 03:00000FBF 00000000     0        0 0 3 00000000b043b659',
  '  17: 0100007F:C5AE 0100007F:1111 01 00000000:00000000 00:00000000 00000000   106        0 7359 1 000000000465ea98 20 4 30 11 -1',
  '  19: 0100007F:1538 0100007F:8032 01 00000000:00000000 02:000AFC4D 00000000   101        0 88406 2 00000000723bb24e 20 0 0 10 -1',
  '  20: 0100007F:D8A2 0100007F:DA61 01 00000000:00000000 00:00000000 00000000     0        0 88402 2 000000009b0f4d3d 20 0 0 10 -1',
  '',
].join('\n');

const TCP6 = [
  HEADER6,
  '   0: 00000000000000000000000000000000:DA61 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 88401 1 00000000fe16c52e 100 0 0 10 0',
  '   1: 00000000000000000000000001000000:18EB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4427 1 00000000ab4492df 100 0 0 10 0',
  '   3: 00000000000000000000000001000000:9790 00000000000000000000000001000000:18EB 06 00000000:00000000 03:00000FBF 00000000     0        0 0 3 0000000050be01cf',
  '   5: 00000000000000000000000001000000:BC20 00000000000000000000000001000000:18EB 01 00000000:00000000 00:00000000 00000000     0        0 88404 2 000000003556cabf 20 0 0 10 -1',
  '   8: 0000000000000000FFFF00000100007F:8032 0000000000000000FFFF00000100007F:1538 01 00000000:00000000 00:00000000 00000000     0        0 88405 2 000000009d9fbd1f 20 0 0 10 -1',
  '   9: 0000000000000000FFFF00000100007F:DA61 0000000000000000FFFF00000100007F:D8A2 01 00000000:00000000 00:00000000 00000000     0        0 88403 1 00000000695f272b 20 0 0 10 -1',
  '  11: 00000000000000000000000001000000:18EB 00000000000000000000000001000000:BC20 01 00000000:00000000 02:000074FC 00000000     0        0 87608 2 000000006bffd4aa 20 0 0 10 -1',
  '',
].join('\n');

const ESTABLISHED = 0x01;
const SYN_SENT = 0x02;

describe('outboundSockets', () => {
  const outbound = outboundSockets(TCP4, TCP6);

  it.each([
    ['the established client of the full listener', 88398, ESTABLISHED, '127.0.0.1:47871'],
    ['a client left in SYN_SENT by the full accept queue', 88399, SYN_SENT, '127.0.0.1:47871'],
    ['the other SYN_SENT client', 88400, SYN_SENT, '127.0.0.1:47871'],
    ['epmd’s client', 7359, ESTABLISHED, '127.0.0.1:4369'],
    [
      'an IPv4 client of a dual-stack listener (listening port from tcp6)',
      88402,
      ESTABLISHED,
      '127.0.0.1:55905',
    ],
    ['a client of Redis on ::1', 88404, ESTABLISHED, '[::1]:6379'],
    ['an IPv4-mapped client of Postgres, written as IPv4', 88405, ESTABLISHED, '127.0.0.1:5432'],
  ])('follows %s', (_name, inode, state, destination) => {
    expect(outbound.get(inode)).toMatchObject({ state, destination, retransmits: 0 });
  });

  it.each([
    ['listeners', [4403, 4426, 7217, 88397, 88401, 4427]],
    [
      'accepted sides, on listened ports (epmd, Postgres, Redis, the dual-stack listener)',
      [6736, 88406, 87608, 88403],
    ],
  ])('leaves out %s', (_name, inodes) => {
    for (const inode of inodes) expect(outbound.has(inode), String(inode)).toBe(false);
  });

  it('follows nothing else (TIME_WAIT and not-yet-accepted sockets have no inode)', () => {
    expect(outbound.size).toBe(7);
  });
});

describe('outboundSockets over successive polls', () => {
  it('keeps an accepted socket inbound after its listener has closed', () => {
    const inbound = new Set<number>();
    outboundSockets(TCP4, TCP6, new Set(), inbound);
    expect(inbound.has(88406)).toBe(true); // Postgres's side of a client connection
    // Postgres stops listening; its accepted socket lives on a moment.
    const withoutListener = TCP4.split('\n')
      .filter((row) => !row.includes(' 4403 '))
      .join('\n');
    expect(outboundSockets(withoutListener, TCP6).has(88406)).toBe(true); // alone, it would look outbound
    expect(outboundSockets(withoutListener, TCP6, inbound).has(88406)).toBe(false);
  });

  it("reads a connecting socket's SYN retransmits", () => {
    const retried = TCP4.replace(
      '01:00000031 00000000     0        0 88399',
      '01:00000031 00000003     0        0 88399',
    );
    expect(outboundSockets(retried, TCP6).get(88399)).toMatchObject({ state: SYN_SENT, retransmits: 3 });
  });
});

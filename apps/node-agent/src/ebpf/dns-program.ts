/**
 * The DNS part of the L7 probes (l7-program.ts composes it in): queries a process sends over UDP
 * to port 53 and the answers it reads back.
 *
 * - A query is a write/sendto (or one of the first two messages of a sendmmsg, which glibc uses
 *   to ask for A and AAAA at once) on a UDP socket whose peer port is 53 (the connected peer, or
 *   the address given to sendto), whose header says "standard query, one question, no answers".
 *   It is remembered by (pid, query id) with its start time.
 * - An answer is a read/recvfrom returning a header with the response bit and one question whose
 *   id matches a remembered query. It becomes one `D` line: pid, cgroup, response code, duration,
 *   comm, and the question section's first {@link DNS_QUESTION_BYTES} bytes (name and type), which
 *   user space decodes (l7/dns-tracker.ts).
 *
 * At most {@link DNS_EVENTS_PER_INTERVAL} answers per dump interval reach user space; queries
 * never answered are dropped when the interval ends (an in-flight query at that instant is lost
 * too: milliseconds out of seconds).
 */

import { socketOfFd, UDP } from './program-text.ts';

/** Bytes of the question section printed with an answer. */
export const DNS_QUESTION_BYTES = 64;
/** Answers printed per dump interval at most. */
export const DNS_EVENTS_PER_INTERVAL = 20_000;

const DNS_PORT = 53;
/** Bytes 4-7 of a query's header (one question, no answers) as a little-endian u32. */
const ONE_QUESTION_NO_ANSWERS = 0x00000100;
/** Bytes 4-5 (one question) as a little-endian u16. */
const ONE_QUESTION = 0x0100;

/** Statements setting `$usk` to the UDP socket behind `$fd`, or 0 (the sendmmsg probe). */
const UDP_SOCKET_OF_FD = socketOfFd('$usk', UDP);

export function dnsDeclarations(): string[] {
  return ['@dnsq[pid, (uint64)0] = (uint64)0;', 'delete(@dnsq[pid, (uint64)0]);'];
}

export function dnsIntervalStatements(): string[] {
  return ['@dnsbudget = 0;', 'clear(@dnsq);'];
}

/**
 * Statements for a write of `len` bytes at `buf` (first four bytes in `$h`) that no L7 protocol
 * claimed (`$proto == 0`): remember it if it is a DNS query. `port` is the peer port named by the
 * call itself (sendto), or '0'; `udpSocket` sets `$usk` to the call's UDP socket (or 0).
 */
export function dnsQuery(
  buf: string,
  len: string,
  port: string,
  udpSocket: readonly string[],
  indent: string,
): string[] {
  return [
    `if ($proto == 0 && ${len} >= 17 && (($h >> 16) & 0xf8) == 0 && *(uint32 *)uptr(${buf} + 4) == ${ONE_QUESTION_NO_ANSWERS}) {`,
    ...udpSocket.map((l) => `  ${l}`),
    '  if ($usk != 0) {',
    '    $dport = (uint64)bswap($usk->__sk_common.skc_dport);',
    `    if ($dport == 0) { $dport = ${port}; }`,
    `    if ($dport == ${DNS_PORT}) { @dnsq[pid, (uint64)($h & 0xffff)] = nsecs; }`,
    '  }',
    '}',
  ].map((l) => indent + l);
}

/** sendmmsg: glibc's resolver sends its A and AAAA queries in one call. */
export function dnsSendmmsgProbe(): string[] {
  return [
    'tracepoint:syscalls:sys_enter_sendmmsg {',
    '  $fd = (uint64)args->fd;',
    ...UDP_SOCKET_OF_FD.map((l) => `  ${l}`),
    `  if ($usk != 0 && bswap($usk->__sk_common.skc_dport) == ${DNS_PORT}) {`,
    '    $m = (uint64)args->mmsg;',
    '    $i = (uint64)0;',
    '    unroll(2) {',
    '      if ($i < (uint64)args->vlen) {',
    // struct mmsghdr is 64 bytes; its msghdr's msg_iov is at offset 16.
    '        $iov = *(uint64 *)uptr($m + $i * 64 + 16);',
    '        $q = *(uint32 *)uptr(*(uint64 *)uptr($iov));',
    '        if ((($q >> 16) & 0xf8) == 0) { @dnsq[pid, (uint64)($q & 0xffff)] = nsecs; }',
    '      }',
    '      $i = $i + 1;',
    '    }',
    '  }',
    '}',
  ];
}

/**
 * An `else if` branch for the read exit (after the outbound-answer branch): `len` bytes at `buf`
 * (first four in `$h`) that answer a remembered query become a `D` line.
 */
export function dnsAnswer(buf: string, len: string, indent: string): string[] {
  return [
    `else if (${len} >= 12 && (($h >> 16) & 0x80) != 0 && *(uint16 *)uptr(${buf} + 4) == ${ONE_QUESTION}) {`,
    '  $qid = (uint64)($h & 0xffff);',
    '  $t0 = @dnsq[pid, $qid];',
    '  if ($t0 != 0) {',
    '    delete(@dnsq[pid, $qid]);',
    `    if (@dnsbudget < ${DNS_EVENTS_PER_INTERVAL}) {`,
    '      @dnsbudget = @dnsbudget + 1;',
    `      $qn = (uint64)${len} - 12;`,
    `      if ($qn > ${DNS_QUESTION_BYTES}) { $qn = ${DNS_QUESTION_BYTES}; }`,
    `      printf("D %d %lu %lu %lu %s\\t%r\\n", pid, cgroup, ($h >> 24) & 0x0f, nsecs - $t0, comm, buf(uptr(${buf} + 12), $qn));`,
    '    }',
    '  }',
    '}',
  ].map((l) => indent + l);
}

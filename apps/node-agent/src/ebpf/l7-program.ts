/**
 * The L7 part of the agent's bpftrace program (tcp-program.ts composes it in): requests a process
 * sends over TCP and the first bytes of the answer it reads back, recognised in the kernel and
 * counted there, so user space sees per-interval sums, never a request.
 *
 * - A write on a TCP socket whose first bytes look like a request of a known protocol starts a
 *   request on that connection, with its start time, protocol and socket.
 * - The next read on that connection that returns data ends it: the answer's first bytes give
 *   the status (HTTP status class; for databases ok or failed), the time since the request its
 *   latency bucket; both go into the interval map (`@agg`) keyed by (kind, pid, cgroup, peer
 *   address, peer port, comm), where the kind encodes protocol, status and bucket
 *   ({@link l7Kind}). Closing the connection drops an unanswered request.
 *
 * Where the probes hook in, best first (tcp-program.ts `l7OnSocketProbes` picks):
 *
 * 1. **Socket probes** (x86-64, kernels with `sock:sock_send_length`/`sock_recv_length`): the
 *    statements run inside those two tracepoints, which fire only for sockets and hand over the
 *    socket; the call's buffer comes from the registers saved at syscall entry. Connections are
 *    keyed by socket and dropped when it reaches CLOSE.
 * 2. **Syscall probes, register arguments** (x86-64 without the socket probes): `write`,
 *    `writev`, `sendto` entry and `read`, `recvfrom` exit, keyed by (pid, fd), the socket found
 *    by walking task → files → file → socket → sock; `close` drops the fd's request.
 * 3. **Syscall probes, arguments remembered at entry** (other architectures, or when the saved
 *    registers did not hold what they should: `@l7miss`).
 *
 * Measured with bpftrace's own run-time counters (`kernel.bpf_stats_enabled`) on a loopback
 * request/answer loop, the socket probes spend ~5.7 µs of BPF time per traced round trip against
 * ~7.0 µs for the syscall probes, and they add nothing to the reads and writes of files and pipes.
 *
 * Recognised requests (first bytes):
 *
 * | protocol  | request                                              | failed answer            |
 * |-----------|------------------------------------------------------|--------------------------|
 * | HTTP/1.x  | `GET `, `POST`, `PUT `, `HEAD`, `DELE`, `PATC`, `OPTI` | status from `HTTP/1.x NNN` |
 * | Postgres  | `Q` (query) or `P` (parse) with a length that fits    | `E` (ErrorResponse)      |
 * | Redis     | `*` and a digit (a RESP command array)               | `-`                      |
 * | MySQL     | a packet with sequence 0 and COM_QUERY/STMT_PREPARE/STMT_EXECUTE | 0xFF after the header |
 * | Memcached | `get `, `gets`, `set `, `add `, `dele`, `incr`, `decr`, `repl`, `appe`, `prep`, `cas `, `touc` | `ERROR`, `CLIENT_ERROR`, `SERVER_ERROR` |
 *
 * The server side is the mirror image: a read that looks like a request starts an inbound one
 * (`@l7in`), the next write on that connection answers it, counted under `L7_INBOUND_KIND_BASE`
 * with the listening address.
 *
 * Sampled requests (`SpanSampling`, decided when the request is seen) keep their first
 * {@link SPAN_PAYLOAD_BYTES} bytes in `@l7buf`; the answer adds one entry for the span to a map
 * printed once a second ({@link SPAN_MAPS}, l7-events.ts). DNS (dns-program.ts) and broker
 * messages (messaging-program.ts) hook into the same probes.
 *
 * One request per write: pipelined requests (several in one write, or written before the first
 * answer) count once.
 */

import {
  dnsAnswer,
  dnsDeclarations,
  dnsIntervalStatements,
  dnsQuery,
  dnsSendmmsgProbe,
} from './dns-program.ts';
import { countMessage } from './messaging-program.ts';
import { le32, socketOfFd, TCP, UDP, type ByEpoch } from './program-text.ts';

/** Protocols recognised in the kernel, by the number the program uses. */
export const L7_PROTOCOLS = {
  1: 'http',
  2: 'postgres',
  3: 'redis',
  4: 'mysql',
  5: 'memcached',
} as const satisfies Record<number, string>;

export type L7Protocol = (typeof L7_PROTOCOLS)[keyof typeof L7_PROTOCOLS];

/** Upper bounds (seconds) of the latency buckets: Prometheus' default buckets, as Coroot's agent uses. */
export const L7_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** First `@agg` kind of the outbound L7 entries (the TCP kinds are small numbers). */
export const L7_KIND_BASE = 10_000;
/** First `@agg` kind of the inbound L7 entries (requests this process answered). */
export const L7_INBOUND_KIND_BASE = 20_000;
/** The slot of a (protocol, status) whose entry sums nanoseconds rather than counting. */
export const L7_SUM_SLOT = 50;

/** Bytes of a sampled request kept for its span (bpftrace 0.17 cannot print more within its stack). */
export const SPAN_PAYLOAD_BYTES = 64;

/** Which requests become span events (entries of the span map), decided when the request is seen. */
export interface SpanSampling {
  /** Fraction of requests traced, 0-1 (TRACES_SAMPLING). */
  readonly fraction: number;
  /**
   * A process whose requests never become spans: the agent's own (its pushes would otherwise be
   * traced and pushed, and those pushes traced again).
   */
  readonly excludePid?: number;
  /** At most this many span events a second (the budget starts again every second); the rest are only counted. */
  readonly maxPerSecond: number;
}

/**
 * The `@agg` kind of an L7 entry: `10000 + protocol·1000 + status·100 + slot`, where the slot
 * is the latency bucket (0-10, 11 for +Inf) or {@link L7_SUM_SLOT}. Status: for HTTP the class
 * (1-5 = 1xx-5xx, 0 unknown); for the others 1 ok, 2 failed, 0 unknown.
 */
export function l7Kind(protocol: number, status: number, slot: number): number {
  return L7_KIND_BASE + protocol * 1000 + status * 100 + slot;
}

const HTTP_METHODS = ['GET ', 'POST', 'PUT ', 'HEAD', 'DELE', 'PATC', 'OPTI'];
const MEMCACHED_COMMANDS = [
  'get ',
  'gets',
  'set ',
  'add ',
  'dele',
  'incr',
  'decr',
  'repl',
  'appe',
  'prep',
  'cas ',
  'touc',
];
const MYSQL_COMMANDS = [0x03, 0x16, 0x17];

/** Statements setting `$proto` (0: none) from `$h` (the first 4 bytes) of `buf`, `len` bytes long. */
function detectRequest(buf: string, len: string, indent: string): string[] {
  const any = (words: readonly string[]): string => words.map((w) => `$h == ${le32(w)}`).join(' || ');
  return [
    '$b0 = $h & 0xff;',
    '$proto = 0;',
    `if (${any(HTTP_METHODS)}) { $proto = 1; }`,
    // Postgres: type byte, then a big-endian length counting itself, within what was written.
    `else if (($b0 == 0x51 || $b0 == 0x50) && ${len} >= 5) {`,
    `  $n = *(uint32 *)uptr(${buf} + 1);`,
    '  $pglen = (($n & 0xff) << 24) | ((($n >> 8) & 0xff) << 16) | ((($n >> 16) & 0xff) << 8) | (($n >> 24) & 0xff);',
    `  if ($pglen >= 4 && $pglen + 1 <= ${len}) { $proto = 2; }`,
    '}',
    'else if ($b0 == 0x2a && ((($h >> 8) & 0xff) >= 0x30) && ((($h >> 8) & 0xff) <= 0x39)) { $proto = 3; }',
    `else if (${any(MEMCACHED_COMMANDS)}) { $proto = 5; }`,
    // MySQL: 3-byte little-endian payload length, sequence 0, a query or statement command.
    `else if (($h >> 24) == 0 && ($h & 0xffffff) + 4 == ${len} && ${len} >= 5) {`,
    `  $cmd = *(uint8 *)uptr(${buf} + 4);`,
    `  if (${MYSQL_COMMANDS.map((c) => `$cmd == ${c}`).join(' || ')}) { $proto = 4; }`,
    '}',
  ].map((l) => indent + l);
}

/** Statements setting `$status` for protocol `$proto` from the answer's first bytes (`$h` read from `buf`). */
function answerStatus(buf: string, len: string, indent: string): string[] {
  return [
    '$status = 1;',
    'if ($proto == 1) {',
    '  $status = 0;',
    `  if ($h == ${le32('HTTP')} && ${len} >= 12) {`,
    `    $c = *(uint8 *)uptr(${buf} + 9);`,
    '    if ($c >= 0x31 && $c <= 0x35) { $status = $c - 0x30; }',
    '  }',
    '}',
    'else if ($proto == 2) { if (($h & 0xff) == 0x45) { $status = 2; } }',
    'else if ($proto == 3) { if (($h & 0xff) == 0x2d) { $status = 2; } }',
    `else if ($proto == 4) { if (${len} >= 5 && *(uint8 *)uptr(${buf} + 4) == 0xff) { $status = 2; } }`,
    `else if ($proto == 5) { if ($h == ${le32('ERRO')} || $h == ${le32('CLIE')} || $h == ${le32('SERV')}) { $status = 2; } }`,
  ].map((l) => indent + l);
}

/**
 * Statements adding one request of `$proto`/`$status` taking `$d` ns into the interval map, with
 * `addr`/`port` (expressions on `$sk`) as the key's address: the peer for outbound requests, the
 * local (listening) address for inbound ones.
 */
function countRequest(
  byEpoch: ByEpoch,
  base: number,
  addr: { v4: string; v6: string },
  port: string,
  indent: string,
): string[] {
  const key = '$pid, $cg, $addr, $port, $comm';
  const add = (n: string): string[] => [
    `@agg${n}[$kind + (uint64)$bucket, ${key}] = sum(1);`,
    `@agg${n}[$kind + ${L7_SUM_SLOT}, ${key}] = sum($d);`,
  ];
  return [
    `${indent}$bucket = ${L7_BUCKETS.length};`,
    ...L7_BUCKETS.map(
      (le, i) => `${indent}${i === 0 ? '' : 'else '}if ($d <= ${Math.round(le * 1e9)}) { $bucket = ${i}; }`,
    ),
    `${indent}$pid = (uint64)pid; $cg = cgroup; $comm = comm; $port = (uint64)(${port});`,
    `${indent}$kind = (uint64)(${base} + $proto * 1000 + $status * 100);`,
    `${indent}if ($sk->__sk_common.skc_family == 2) {`,
    `${indent}  $addr = ntop(${addr.v4});`,
    ...byEpoch(`${indent}  `, add),
    `${indent}} else {`,
    `${indent}  $addr = ntop(${addr.v6});`,
    ...byEpoch(`${indent}  `, add),
    `${indent}}`,
  ];
}

const PEER = { v4: '$sk->__sk_common.skc_daddr', v6: '$sk->__sk_common.skc_v6_daddr.in6_u.u6_addr8' };
const PEER_PORT = 'bswap($sk->__sk_common.skc_dport)';
const LOCAL = {
  v4: '$sk->__sk_common.skc_rcv_saddr',
  v6: '$sk->__sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8',
};
const LOCAL_PORT = '$sk->__sk_common.skc_num';

/**
 * Where the probes hook in: the per-connection maps' key and how the socket is found. Syscall
 * probes know an fd and walk to its socket (task → files → file → socket → sock: ten kernel
 * reads); the socket probes (`sock:sock_send_length`/`sock_recv_length`) are handed the socket.
 */
interface Site {
  /** The key of `@l7out`, `@l7in` and `@l7buf`. */
  readonly key: string;
  /** Statements setting `$sk` to the TCP socket of the call, or 0. */
  readonly tcpSocket: readonly string[];
  /** Statements setting `$usk` to the UDP socket of the call, or 0. */
  readonly udpSocket: readonly string[];
}

const FD_SITE: Site = {
  key: 'pid, $fd',
  tcpSocket: socketOfFd('$sk', TCP),
  udpSocket: socketOfFd('$usk', UDP),
};

/** In the socket probes `$ksk` is the probe's socket and `$ks` its address (the key). */
const SOCKET_SITE: Site = {
  key: '$ks',
  tcpSocket: ['$sk = (struct sock *)0;', `if ($ksk->sk_protocol == ${TCP}) { $sk = $ksk; }`],
  udpSocket: ['$usk = (struct sock *)0;', `if ($ksk->sk_protocol == ${UDP}) { $usk = $ksk; }`],
};

/**
 * Statements deciding whether the request just seen becomes a span: `$keep` is the number of its
 * first bytes kept in `@l7buf` (0: not sampled). Without sampling nothing is kept.
 */
function sample(
  spans: SpanSampling | undefined,
  site: Site,
  buf: string,
  len: string,
  indent: string,
): string[] {
  if (spans === undefined) return [`${indent}$keep = (uint64)0;`];
  const threshold = Math.round(Math.min(1, Math.max(0, spans.fraction)) * 10_000);
  return [
    `${indent}$keep = (uint64)0;`,
    `${indent}if (${spans.excludePid === undefined ? '' : `pid != ${Math.trunc(spans.excludePid)} && `}@spanbudget < ${Math.max(0, Math.round(spans.maxPerSecond))} && (rand % 10000) < ${threshold}) {`,
    `${indent}  @spanbudget = @spanbudget + 1;`,
    `${indent}  $keep = (uint64)${len};`,
    `${indent}  if ($keep > ${SPAN_PAYLOAD_BYTES}) { $keep = ${SPAN_PAYLOAD_BYTES}; }`,
    `${indent}  @l7buf[${site.key}] = buf(uptr(${buf}), $keep);`,
    `${indent}}`,
  ];
}

/** The two copies of the sampled requests' map, written by turns a second at a time. */
export const SPAN_MAPS = ['@spans0', '@spans1'] as const;

/**
 * A sampled request, when its answer starts (`$r` its per-connection tuple, `$status` set, `$sk`
 * its socket): one entry in the copy of the span map being filled (`@spanepoch`), keyed by the
 * time, holding what a span needs — the exact HTTP status and the request's first bytes. The
 * second probe ({@link l7SecondProbe}) prints the other copy: spans reach user space once a
 * second, in one batch, instead of one perf-buffer event (and a wake-up of bpftrace and of the
 * agent) each. The value is the tuple l7-events.ts `parseSpanTuple` reads.
 */
function spanEvent(inbound: 0 | 1, site: Site, buf: string, len: string, indent: string): string[] {
  const entry = (map: string, addr: string) =>
    `${map}[nsecs] = ((uint64)${inbound}, (uint64)$proto, (uint64)$status, $code, (uint64)pid, $r.0, $d, cgroup, $peerport, ${addr}, comm, @l7buf[${site.key}]);`;
  const byFamily = (map: string) => [
    `if ($sk->__sk_common.skc_family == 2) { ${entry(map, `ntop(${PEER.v4})`)} }`,
    `else { ${entry(map, `ntop(${PEER.v6})`)} }`,
  ];
  return [
    `${indent}if ($r.3 != 0) {`,
    `${indent}  $code = (uint64)0;`,
    `${indent}  if ($proto == 1 && ${len} >= 12 && $h == ${le32('HTTP')}) {`,
    `${indent}    $code = (uint64)(*(uint8 *)uptr(${buf} + 9) - 0x30) * 100 + (uint64)(*(uint8 *)uptr(${buf} + 10) - 0x30) * 10 + (uint64)(*(uint8 *)uptr(${buf} + 11) - 0x30);`,
    `${indent}  }`,
    `${indent}  $peerport = (uint64)bswap($sk->__sk_common.skc_dport);`,
    `${indent}  if (@spanepoch == 0) {`,
    ...byFamily(SPAN_MAPS[0]).map((l) => `${indent}    ${l}`),
    `${indent}  } else {`,
    ...byFamily(SPAN_MAPS[1]).map((l) => `${indent}    ${l}`),
    `${indent}  }`,
    `${indent}  delete(@l7buf[${site.key}]);`,
    `${indent}}`,
  ];
}

/**
 * Statements for `BEGIN` that give the per-connection maps their types before any probe reads
 * them (a write probe reads what a read probe stores and the other way round); the entries are
 * deleted at once. `socketKeyed`: keyed by socket (the socket probes), else by (pid, fd).
 */
export function l7Declarations(spans: SpanSampling | undefined, socketKeyed = false): string[] {
  const key = socketKeyed ? '(uint64)0' : 'pid, (uint64)0';
  const maps = ['@l7out', '@l7in'];
  return [
    ...maps.map((m) => `${m}[${key}] = ((uint64)0, (uint64)0, (uint64)0, (uint64)0);`),
    ...maps.map((m) => `delete(${m}[${key}]);`),
    ...(spans === undefined
      ? []
      : [
          `@l7buf[${key}] = buf(uptr(0), ${SPAN_PAYLOAD_BYTES});`,
          `delete(@l7buf[${key}]);`,
          '@spanepoch = 0;',
        ]),
    ...dnsDeclarations(),
  ];
}

/** Statements for a TCP socket `$sk` (u64) reaching CLOSE in the socket probes' mode: its unanswered requests go. */
export function l7SocketClosed(spans: SpanSampling | undefined): string[] {
  return [`delete(@l7out[$sk]); delete(@l7in[$sk]);${spans === undefined ? '' : ' delete(@l7buf[$sk]);'}`];
}

/** Statements for the interval probe: the DNS budget starts again. */
export function l7IntervalStatements(): string[] {
  return dnsIntervalStatements();
}

/**
 * Every second: the span budget starts again (a budget per dump interval would be spent in a
 * burst at the start of each interval on a busy node), and the span map's copies swap, the one
 * just retired printed and cleared (nothing written while it is read is lost).
 */
export function l7SecondProbe(spans: SpanSampling | undefined): string[] {
  if (spans === undefined) return [];
  const [a, b] = SPAN_MAPS;
  return [
    'interval:s:1 {',
    '  @spanbudget = 0;',
    '  @spanepoch = 1 - @spanepoch;',
    `  if (@spanepoch == 1) { print(${a}); clear(${a}); } else { print(${b}); clear(${b}); }`,
    '}',
  ];
}

/** x86-64 kernel stack size (without KASAN) and `sizeof(struct pt_regs)`: where a task's saved registers are. */
const X86_64_THREAD_SIZE = 16_384;
const X86_64_PT_REGS_SIZE = 168;

/** x86-64 syscall numbers the socket probes recognise in the saved registers. */
const X86_64_SYSCALLS = { read: 0, write: 1, writev: 20, sendto: 44, recvfrom: 45 } as const;
/** A saved syscall number above this is not one: the registers are not where they were expected. */
const X86_64_SYSCALL_NR_MAX = 1023;

/** The saved registers of the current task's syscall (x86-64). */
const SAVED_REGS = `$regs = (struct pt_regs *)((uint64)curtask->stack + ${X86_64_THREAD_SIZE} - ${X86_64_PT_REGS_SIZE});`;

interface Bodies {
  /** A write of `len` bytes at `buf`: an answer to an inbound request, or a new outbound one. */
  onWrite(buf: string, len: string, dnsPort: string | undefined): string[];
  /** A read that returned `len` bytes at `$buf`. */
  onRead(len: string): string[];
}

function bodies(byEpoch: ByEpoch, spans: SpanSampling | undefined, site: Site): Bodies {
  const key = site.key;
  return {
    onWrite: (buf, len, dnsPort) => [
      `  if (${len} >= 4) {`,
      `    $h = *(uint32 *)uptr(${buf});`,
      `    $r = @l7in[${key}];`,
      '    if ($r.0 != 0) {',
      '      $proto = $r.1; $sk = (struct sock *)$r.2;',
      `      delete(@l7in[${key}]);`,
      '      $d = nsecs - $r.0;',
      ...answerStatus(buf, len, '      '),
      ...countRequest(byEpoch, L7_INBOUND_KIND_BASE, LOCAL, LOCAL_PORT, '      '),
      ...(spans === undefined ? [] : spanEvent(1, site, buf, len, '      ')),
      '    } else {',
      ...detectRequest(buf, len, '      '),
      '      if ($proto != 0) {',
      ...site.tcpSocket.map((l) => `        ${l}`),
      '        if ($sk != 0) {',
      ...sample(spans, site, buf, len, '          '),
      `          @l7out[${key}] = (nsecs, (uint64)$proto, (uint64)$sk, $keep);`,
      '        }',
      '      }',
      ...(dnsPort === undefined ? [] : dnsQuery(buf, len, dnsPort, site.udpSocket, '      ')),
      '      if ($proto == 0) {',
      ...countMessage('produce', buf, len, byEpoch, site.tcpSocket, '        '),
      '      }',
      '    }',
      '  }',
    ],
    onRead: (len) => [
      `  if (${len} >= 4) {`,
      '    $h = *(uint32 *)uptr($buf);',
      `    $r = @l7out[${key}];`,
      '    if ($r.0 != 0) {',
      // The answer to an outbound request.
      '      $proto = $r.1; $sk = (struct sock *)$r.2;',
      `      delete(@l7out[${key}]);`,
      '      $d = nsecs - $r.0;',
      ...answerStatus('$buf', len, '    '),
      ...countRequest(byEpoch, L7_KIND_BASE, PEER, PEER_PORT, '    '),
      ...(spans === undefined ? [] : spanEvent(0, site, '$buf', len, '    ')),
      '    }',
      ...dnsAnswer('$buf', len, '    '),
      '    else {',
      // Maybe an inbound request: its first bytes first, the socket only if they match.
      ...detectRequest('$buf', len, '    '),
      '      if ($proto != 0) {',
      ...site.tcpSocket.map((l) => `        ${l}`),
      '        if ($sk != 0) {',
      ...sample(spans, site, '$buf', len, '        '),
      `          @l7in[${key}] = (nsecs, (uint64)$proto, (uint64)$sk, $keep);`,
      '        }',
      '      } else {',
      ...countMessage('consume', '$buf', len, byEpoch, site.tcpSocket, '      '),
      '      }',
      '    }',
      '  }',
    ],
  };
}

/**
 * The L7 part as statements inside the socket probes `sock:sock_send_length` and
 * `sock:sock_recv_length` (x86-64, kernels that have them; tcp-program.ts puts its byte counting
 * first in the same probes). They fire only for sockets, after the data moved, with the socket in
 * hand: no fd walk, no probe on every read and write of the machine (files, pipes), and the
 * connection's maps keyed by the socket (dropped when it closes, l7SocketClosed). The buffer and
 * the call come from the registers saved at syscall entry: `read`/`recvfrom`, `write`/`sendto`
 * (buffer in si) and `writev` (its first buffer); other calls (sendmsg, sendfile, io_uring) are
 * not looked into. A saved syscall number that cannot be one is counted in `@l7miss`.
 */
export function l7SocketStatements(
  byEpoch: ByEpoch,
  spans: SpanSampling | undefined,
): { send: string[]; recv: string[] } {
  const { onWrite, onRead } = bodies(byEpoch, spans, SOCKET_SITE);
  const nr = X86_64_SYSCALLS;
  const regs = [
    `  ${SAVED_REGS}`,
    '  $nr = $regs->orig_ax;',
    `  if ($nr > ${X86_64_SYSCALL_NR_MAX}) { @l7miss = count(); }`,
  ];
  /** IPv4 and IPv6 sockets only: Unix sockets (Docker's API, D-Bus, journald) stop here. */
  const inetOnly = (body: string[]): string[] => [
    '  $ksk = (struct sock *)args->sk; $ks = (uint64)args->sk;',
    '  $family = $ksk->__sk_common.skc_family;',
    '  if ($family == 2 || $family == 10) {',
    ...body.map((l) => `  ${l}`),
    '  }',
  ];
  const send = inetOnly([
    ...regs,
    '  $buf = (uint64)0; $len = (uint64)args->ret; $to = (uint64)0;',
    `  if ($nr == ${nr.write} || $nr == ${nr.sendto}) {`,
    '    $buf = (uint64)$regs->si;',
    // sendto's address (sockaddr_in/in6: port at offset 2) names an unconnected UDP socket's peer.
    `    if ($nr == ${nr.sendto} && $regs->r8 != 0) { $to = (uint64)bswap(*(uint16 *)uptr((uint64)$regs->r8 + 2)); }`,
    `  } else if ($nr == ${nr.writev}) {`,
    '    $vec = (uint64)$regs->si;',
    '    $buf = *(uint64 *)uptr($vec);',
    '    $vlen = *(uint64 *)uptr($vec + 8);',
    '    if ($vlen < $len) { $len = $vlen; }',
    '  }',
    '  if ($buf != 0) {',
    ...onWrite('$buf', '$len', '$to').map((l) => `  ${l}`),
    '  }',
  ]);
  const recv = inetOnly([
    ...regs,
    // MSG_PEEK leaves the data to be read again.
    `  if (($nr == ${nr.read} || $nr == ${nr.recvfrom}) && (args->flags & 2) == 0) {`,
    '    $buf = (uint64)$regs->si;',
    ...onRead('args->ret').map((l) => `  ${l}`),
    '  }',
  ]);
  return { send, recv };
}

/** Probes the socket probes' mode needs besides them: glibc's DNS queries by sendmmsg. */
export function l7SocketModeProbes(): string[] {
  return dnsSendmmsgProbe();
}

/**
 * The probes. `byEpoch` writes statements against the interval map copy being filled
 * (tcp-program.ts). `argsFromRegs`: read a read's buffer and fd from the registers saved at
 * syscall entry (x86-64 only) instead of remembering them from an entry probe.
 */
export function l7Probes(byEpoch: ByEpoch, spans?: SpanSampling, argsFromRegs = false): string[] {
  const { onWrite, onRead: onReadOf } = bodies(byEpoch, spans, FD_SITE);
  const onRead = onReadOf('args->ret');
  const lines: string[] = [
    'tracepoint:syscalls:sys_enter_write {',
    '  $fd = (uint64)args->fd;',
    ...onWrite('(uint64)args->buf', 'args->count', '0'),
    '}',
    'tracepoint:syscalls:sys_enter_sendto {',
    '  $fd = (uint64)args->fd;',
    // An unconnected UDP socket names its peer in the call (sockaddr_in/in6: port at offset 2).
    '  $to = (uint64)0;',
    '  if (args->addr != 0) { $to = (uint64)bswap(*(uint16 *)uptr((uint64)args->addr + 2)); }',
    ...onWrite('(uint64)args->buff', 'args->len', '$to'),
    '}',
    // writev: the first buffer of the vector.
    'tracepoint:syscalls:sys_enter_writev {',
    '  $fd = (uint64)args->fd;',
    '  $vec = (uint64)args->vec;',
    '  $base = *(uint64 *)uptr($vec);',
    '  $vlen = *(uint64 *)uptr($vec + 8);',
    ...onWrite('$base', '$vlen', undefined),
    '}',
    ...dnsSendmmsgProbe(),
  ];
  for (const [probe, buf] of [
    ['read', 'args->buf'],
    ['recvfrom', 'args->ubuf'],
  ] as const) {
    if (argsFromRegs) {
      // The syscall's arguments are still in the registers saved at its entry (x86-64: fd in
      // di, the buffer in si): one probe per read instead of two and no per-thread map. The
      // saved syscall number proves the layout; a mismatch is counted (`@l7miss`), never guessed.
      lines.push(
        `tracepoint:syscalls:sys_exit_${probe} /args->ret >= 4/ {`,
        `  ${SAVED_REGS}`,
        '  if ($regs->orig_ax == (uint64)args->__syscall_nr) {',
        '    $buf = (uint64)$regs->si; $fd = (uint64)$regs->di;',
        ...onRead.map((l) => `  ${l}`),
        '  } else {',
        '    @l7miss = count();',
        '  }',
        '}',
      );
      continue;
    }
    lines.push(
      `tracepoint:syscalls:sys_enter_${probe} {`,
      `  @l7read[tid] = ((uint64)${buf}, (uint64)args->fd);`,
      '}',
      `tracepoint:syscalls:sys_exit_${probe} /@l7read[tid].0 != 0/ {`,
      '  $rd = @l7read[tid];',
      '  $buf = $rd.0; $fd = $rd.1;',
      '  delete(@l7read[tid]);',
      ...onRead,
      '}',
    );
  }
  lines.push(
    'tracepoint:syscalls:sys_enter_close {',
    '  $fd = (uint64)args->fd;',
    `  delete(@l7out[pid, $fd]); delete(@l7in[pid, $fd]);${spans === undefined ? '' : ' delete(@l7buf[pid, $fd]);'}`,
    '}',
  );
  return lines;
}

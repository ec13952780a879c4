/**
 * The bpftrace program behind the TCP connection family, tracepoints only (no kprobes: the
 * stable interface, and the only one on kernels built without kprobe events). Connections are
 * counted in kernel maps and printed once per `dumpSeconds`; nothing is printed per connection,
 * so a node opening thousands of connections a second costs the agent no more than a quiet one.
 *
 * `sock:inet_sock_set_state` carries every TCP state change. A socket entering SYN_SENT does so
 * inside the connecting process's `connect()`, so that is where its pid, `comm` and cgroup v2 id
 * are taken (the cgroup still names the container once a short-lived process has exited); the
 * change out of SYN_SENT happens later, often in softirq context with another task current, so
 * it uses what was stored.
 *
 * | map | key | value | updated when |
 * |---|---|---|---|
 * | `@agg0`, `@agg1` | `(kind, pid, cgroup, destination ip, port, comm)` | sum | see {@link AggregateKind} |
 * | `@info` | socket | `(pid, cgroup, sport, dport, saddr, daddr, comm)` | from connect to close |
 * | `@live` | `(socket, pid, cgroup, sport, dport, saddr, daddr, comm)` | 1 | as `@info`, portable form only (printed instead of it) |
 * | `@tx`, `@rx` | socket | 1 + bytes sent, received so far | from connect to close, per send/receive |
 * | `@rt` | socket | retransmits so far | per retransmit |
 * | `@full` | – | connections not followed: `@info` was full | on overflow |
 *
 * All interval counts share one per-CPU map (per-CPU sums need no locks and lose nothing; one
 * map rather than one per kind, because a per-CPU map's memory is its size × CPUs). The map
 * comes in two copies, written by turns: the interval probe flips `@epoch`, then prints and
 * clears the copy just retired, so nothing counted while it is being read is lost. So each dump
 * holds what happened since the last one, while `@info` and the per-socket maps hold the live
 * connections (printed whole each time, not cleared). Nothing is counted twice: a socket's final
 * totals land in the retired copy only after it left `@info`.
 *
 * `@tx` and `@rx` start at 1 when a followed connection is established, so the socket probes,
 * which run for every send and receive of the machine, learn whether a socket is followed from
 * the one lookup they need anyway (a missing key reads as 0); readers subtract the 1.
 *
 * Bytes (`sock:sock_{send,recv}_length`, Linux ≥ 6.2) and retransmits (`tcp:tcp_retransmit_skb`)
 * of followed sockets add up per socket. OOM kills (`oom:mark_victim`) are rare lifecycle events
 * and printed as they happen: `O pid cgroup comm`. Every dump ends with `H`: the end of a round
 * for the reader, and a heartbeat that makes bpftrace write regularly, so that if the agent dies
 * (even by SIGKILL) bpftrace's next write hits the closed pipe and it exits instead of lingering.
 */

import {
  l7Declarations,
  l7SocketClosed,
  l7SocketModeProbes,
  l7SocketStatements,
  l7IntervalStatements,
  l7Probes,
  l7SecondProbe,
  type SpanSampling,
} from './l7-program.ts';
import { TCP } from './program-text.ts';

export interface TcpProgramOptions {
  /** How often the maps are printed. */
  readonly dumpSeconds: number;
  /** Whether `sock:sock_send_length` / `sock:sock_recv_length` exist on this kernel. */
  readonly byteCounts: boolean;
  /** Whether `oom:mark_victim` exists. */
  readonly oomEvents: boolean;
  /** Whether to count L7 requests (l7-program.ts). */
  readonly l7?: boolean;
  /** Which L7 requests become span events; undefined: none. Only with `l7`. */
  readonly spans?: SpanSampling;
  /** Read probes take their arguments from the saved registers (x86-64; see l7-program.ts). */
  readonly l7ArgsFromRegs?: boolean;
  /** false: L7 on the syscall probes even where the socket tracepoints could carry it. */
  readonly l7SocketProbes?: boolean;
  /**
   * The form bpftrace 0.17 compiles ahead of time (`bpftrace --aot`, run by `bpftrace-aotrt`;
   * see bpftrace-aot.ts): no casts (widening is `+ 0`), and the live connections printed from
   * `@live`, keyed by all their fields, because the runtime cannot print tuple values. Without
   * L7 only (the L7 statements read memory through casts).
   */
  readonly portable?: boolean;
}

/** What the program prints once every probe is attached (from `BEGIN`). */
export const TCP_PROGRAM_READY = 'A';

const SYN_SENT = 2;
const ESTABLISHED = 1;
const CLOSE = 7;

/** What an `@agg` entry counts: the first part of its key. */
export const AggregateKind = {
  /** SYN_SENT → ESTABLISHED: count, and the nanoseconds they took. */
  connects: 1,
  connectNs: 2,
  /** SYN_SENT → anything else. */
  failures: 3,
  /** A followed socket → CLOSE: count, and its final totals. */
  closes: 4,
  closedSent: 5,
  closedReceived: 6,
  closedRetransmits: 7,
} as const;

/**
 * Whether the L7 part hooks the socket probes (l7-program.ts `l7SocketStatements`) rather than
 * the read/write syscalls: with register-read arguments (x86-64) on a kernel with the socket
 * length tracepoints.
 */
export function l7OnSocketProbes(options: TcpProgramOptions): boolean {
  return (
    options.l7 === true &&
    options.l7ArgsFromRegs === true &&
    options.byteCounts &&
    options.l7SocketProbes !== false
  );
}

export function tcpProgram(options: TcpProgramOptions): string {
  const { byteCounts } = options;
  const socketMode = l7OnSocketProbes(options);
  /** The same statements against copy 0 or copy 1, whichever `@epoch` says is being written. */
  const byEpoch = (indent: string, statements: (copy: string) => string[]): string[] => [
    `${indent}if (@epoch == 0) {`,
    ...statements('0').map((s) => `${indent}  ${s}`),
    `${indent}} else {`,
    ...statements('1').map((s) => `${indent}  ${s}`),
    `${indent}}`,
  ];
  const portable = options.portable === true;
  if (portable && options.l7 === true) throw new Error('the portable TCP program has no L7 part');
  /** `expression` as a 64-bit integer (a pointer stays a pointer in the portable form). */
  const u64 = (expression: string) => (portable ? `(${expression} + 0)` : `(uint64)${expression}`);
  const K = AggregateKind;
  const connectKey = (kind: number) =>
    `${portable ? kind : `(uint64)${kind}`}, $p, $g, ntop(args->daddr_v6), ${u64('args->dport')}, $c`;
  const closeKey = (kind: number) => `${portable ? kind : `(uint64)${kind}`}, $i.0, $i.1, $i.5, $i.3, $i.6`;
  const perSocket = byteCounts ? ['tx', 'rx', 'rt'] : ['rt'];
  const liveKey = (fields: string) => `@live[$sk, ${fields}]`;
  const lines = [
    `BEGIN { ${options.l7 === true ? `${l7Declarations(options.spans, socketMode).join(' ')} ` : ''}printf("${TCP_PROGRAM_READY}\\n"); }`,
    `tracepoint:sock:inet_sock_set_state /args->protocol == ${TCP}/ {`,
    `  $sk = ${u64('args->skaddr')};`,
    `  if (args->newstate == ${SYN_SENT}) {`,
    '    @start[$sk] = nsecs; @cpid[$sk] = pid; @ccomm[$sk] = comm; @ccg[$sk] = cgroup;',
    `  } else if (args->oldstate == ${SYN_SENT} && @start[$sk] != 0) {`,
    `    $p = ${u64('@cpid[$sk]')}; $t = nsecs - @start[$sk]; $c = @ccomm[$sk]; $g = @ccg[$sk];`,
    '    delete(@start[$sk]); delete(@cpid[$sk]); delete(@ccomm[$sk]); delete(@ccg[$sk]);',
    `    if (args->newstate == ${ESTABLISHED}) {`,
    `      @info[$sk] = ($p, $g, ${u64('args->sport')}, ${u64('args->dport')}, ntop(args->saddr_v6), ntop(args->daddr_v6), $c);`,
    ...(portable
      ? [
          `      ${liveKey(`$p, $g, ${u64('args->sport')}, ${u64('args->dport')}, ntop(args->saddr_v6), ntop(args->daddr_v6), $c`)} = 1;`,
        ]
      : []),
    ...(byteCounts ? ['      @tx[$sk] = 1; @rx[$sk] = 1;'] : []),
    '      if (@info[$sk].0 != $p) { @full = count(); }',
    ...byEpoch('      ', (n) => [
      `@agg${n}[${connectKey(K.connects)}] = sum(1);`,
      `@agg${n}[${connectKey(K.connectNs)}] = sum($t);`,
    ]),
    '    } else {',
    ...byEpoch('      ', (n) => [`@agg${n}[${connectKey(K.failures)}] = sum(1);`]),
    '    }',
    `  } else if (args->newstate == ${CLOSE} && @info[$sk].0 != 0) {`,
    '    $i = @info[$sk];',
    ...(byteCounts
      ? [
          '    $tx = @tx[$sk]; $rx = @rx[$sk];',
          '    if ($tx > 0) { $tx = $tx - 1; }',
          '    if ($rx > 0) { $rx = $rx - 1; }',
        ]
      : []),
    ...byEpoch('    ', (n) => [
      `@agg${n}[${closeKey(K.closes)}] = sum(1);`,
      ...(byteCounts
        ? [
            `@agg${n}[${closeKey(K.closedSent)}] = sum($tx);`,
            `@agg${n}[${closeKey(K.closedReceived)}] = sum($rx);`,
          ]
        : []),
      `@agg${n}[${closeKey(K.closedRetransmits)}] = sum(@rt[$sk]);`,
    ]),
    ...(portable ? [`    delete(${liveKey('$i.0, $i.1, $i.2, $i.3, $i.4, $i.5, $i.6')});`] : []),
    `    delete(@info[$sk]); ${perSocket.map((m) => `delete(@${m}[$sk]);`).join(' ')}`,
    '  }',
    ...(socketMode
      ? [`  if (args->newstate == ${CLOSE}) { ${l7SocketClosed(options.spans).join(' ')} }`]
      : []),
    '}',
    `tracepoint:tcp:tcp_retransmit_skb /@info[${u64('args->skaddr')}].0 != 0/ {`,
    `  @rt[${u64('args->skaddr')}] = @rt[${u64('args->skaddr')}] + 1;`,
    '}',
  ];
  const l7 = socketMode ? l7SocketStatements(byEpoch, options.spans) : undefined;
  if (byteCounts) {
    for (const [probe, map, statements] of [
      ['sock_send_length', 'tx', l7?.send],
      ['sock_recv_length', 'rx', l7?.recv],
    ] as const) {
      // Followed sockets only: their counters exist (from 1), others read as 0.
      const sk = u64('args->sk');
      const count = `$bytes = @${map}[${sk}]; if ($bytes != 0) { @${map}[${sk}] = $bytes + ${u64('args->ret')}; }`;
      lines.push(`tracepoint:sock:${probe} /args->ret > 0/ {`, `  ${count}`, ...(statements ?? []), '}');
    }
  }
  if (options.l7 === true) {
    lines.push(
      ...(socketMode
        ? l7SocketModeProbes()
        : l7Probes(byEpoch, options.spans, options.l7ArgsFromRegs === true)),
      ...l7SecondProbe(options.spans),
    );
  }
  if (options.oomEvents) {
    lines.push(
      'tracepoint:oom:mark_victim { printf("O %d %lu %s\\n", args->pid, cgroup, str(args->comm)); }',
    );
  }
  const retire = (n: string): string[] => [
    `@epoch = ${n === '0' ? 1 : 0};`,
    `print(@agg${n}); clear(@agg${n});`,
  ];
  lines.push(
    `interval:s:${Math.max(1, Math.round(options.dumpSeconds))} {`,
    ...byEpoch('  ', retire),
    `  print(${portable ? '@live' : '@info'}); ${perSocket.map((m) => `print(@${m});`).join(' ')} print(@full);${options.l7 === true && options.l7ArgsFromRegs === true ? ' print(@l7miss);' : ''}`,
    ...(options.l7 === true ? l7IntervalStatements().map((s) => `  ${s}`) : []),
    '  printf("H\\n");',
    '}',
  );
  return `${lines.join('\n')}\n`;
}

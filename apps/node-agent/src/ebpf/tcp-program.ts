/**
 * The bpftrace program behind the TCP connection family, tracepoints only (no kprobes: the
 * stable interface, and the only one on kernels built without kprobe events).
 *
 * `sock:inet_sock_set_state` carries every TCP state change. A socket entering SYN_SENT does so
 * inside the connecting process's `connect()`, so that is where its pid and name are taken; the
 * change out of SYN_SENT happens later, often in softirq context with some other task current,
 * so it uses what was stored:
 *
 * | change | printed | meaning |
 * |---|---|---|
 * | → SYN_SENT | nothing (start time, pid, comm, cgroup kept by socket) | connect() began |
 * | SYN_SENT → ESTABLISHED | `C pid sk ns saddr sport daddr dport cgroup comm` | successful connect, `ns` long |
 * | SYN_SENT → anything else | `F pid sk ns daddr dport cgroup comm` | failed connect |
 *
 * `cgroup` is the connecting task's cgroup v2 id (the inode of its directory in the v2
 * hierarchy): a process that fails to connect often exits before the agent reads its
 * `/proc/<pid>`, and its cgroup still says which container it was in.
 * | tracked socket → CLOSE | `X sk sent received retransmits` | connection ended, final totals |
 *
 * Bytes (`sock:sock_{send,recv}_length`, Linux ≥ 6.2) and retransmits (`tcp:tcp_retransmit_skb`)
 * of the tracked (outbound) sockets add up in kernel maps keyed by socket, which the program
 * prints every `dumpSeconds` (`print(@tx)` etc.), so they cost no output per packet. OOM kills
 * (`oom:mark_victim`) are printed as `O pid cgroup comm` (the cgroup of the task that ran out of
 * memory: in a memory-limited container, usually the victim's own). Every dump ends with `H`, a heartbeat: it shows the
 * program is alive, and it makes bpftrace write regularly, so that if the agent dies (even by
 * SIGKILL) bpftrace's next write hits the closed pipe and it exits instead of lingering.
 */

export interface TcpProgramOptions {
  /** How often the per-socket byte and retransmit maps are printed. */
  readonly dumpSeconds: number;
  /** Whether `sock:sock_send_length` / `sock:sock_recv_length` exist on this kernel. */
  readonly byteCounts: boolean;
  /** Whether `oom:mark_victim` exists. */
  readonly oomEvents: boolean;
}

const TCP = 6;
const AF_INET = 2;
const SYN_SENT = 2;
const ESTABLISHED = 1;
const CLOSE = 7;

export function tcpProgram(options: TcpProgramOptions): string {
  const lines = [
    `tracepoint:sock:inet_sock_set_state /args->protocol == ${TCP}/ {`,
    '  $sk = (uint64)args->skaddr;',
    `  if (args->newstate == ${SYN_SENT}) {`,
    '    @start[$sk] = nsecs; @cpid[$sk] = pid; @ccomm[$sk] = comm; @ccg[$sk] = cgroup;',
    `  } else if (args->oldstate == ${SYN_SENT}) {`,
    '    $p = @cpid[$sk]; $t = nsecs - @start[$sk]; $c = @ccomm[$sk]; $g = @ccg[$sk];',
    '    delete(@start[$sk]); delete(@cpid[$sk]); delete(@ccomm[$sk]); delete(@ccg[$sk]);',
    `    if (args->newstate == ${ESTABLISHED}) {`,
    '      @est[$sk] = $p;',
    `      if (args->family == ${AF_INET}) {`,
    `        printf("C %d %ld %lu %s %d %s %d %lu %s\\n", $p, $sk, $t, ntop(args->saddr), args->sport, ntop(args->daddr), args->dport, $g, $c);`,
    '      } else {',
    `        printf("C %d %ld %lu %s %d %s %d %lu %s\\n", $p, $sk, $t, ntop(args->saddr_v6), args->sport, ntop(args->daddr_v6), args->dport, $g, $c);`,
    '      }',
    '    } else {',
    `      if (args->family == ${AF_INET}) {`,
    `        printf("F %d %ld %lu %s %d %lu %s\\n", $p, $sk, $t, ntop(args->daddr), args->dport, $g, $c);`,
    '      } else {',
    `        printf("F %d %ld %lu %s %d %lu %s\\n", $p, $sk, $t, ntop(args->daddr_v6), args->dport, $g, $c);`,
    '      }',
    '    }',
    `  } else if (args->newstate == ${CLOSE} && @est[$sk] != 0) {`,
    options.byteCounts
      ? '    printf("X %ld %lu %lu %lu\\n", $sk, @tx[$sk], @rx[$sk], @rt[$sk]);'
      : '    printf("X %ld 0 0 %lu\\n", $sk, @rt[$sk]);',
    options.byteCounts
      ? '    delete(@est[$sk]); delete(@tx[$sk]); delete(@rx[$sk]); delete(@rt[$sk]);'
      : '    delete(@est[$sk]); delete(@rt[$sk]);',
    '  }',
    '}',
    'tracepoint:tcp:tcp_retransmit_skb /@est[(uint64)args->skaddr] != 0/ {',
    '  @rt[(uint64)args->skaddr] = @rt[(uint64)args->skaddr] + 1;',
    '}',
  ];
  if (options.byteCounts) {
    for (const [probe, map] of [
      ['sock_send_length', 'tx'],
      ['sock_recv_length', 'rx'],
    ] as const) {
      lines.push(
        `tracepoint:sock:${probe} /args->ret > 0 && @est[(uint64)args->sk] != 0/ {`,
        `  @${map}[(uint64)args->sk] = @${map}[(uint64)args->sk] + (uint64)args->ret;`,
        '}',
      );
    }
  }
  if (options.oomEvents) {
    lines.push(
      'tracepoint:oom:mark_victim { printf("O %d %lu %s\\n", args->pid, cgroup, str(args->comm)); }',
    );
  }
  lines.push(
    `interval:s:${Math.max(1, Math.round(options.dumpSeconds))} {`,
    options.byteCounts ? '  print(@tx); print(@rx); print(@rt);' : '  print(@rt);',
    '  printf("H\\n");',
    '}',
  );
  return `${lines.join('\n')}\n`;
}

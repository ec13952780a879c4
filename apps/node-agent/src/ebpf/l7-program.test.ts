import { describe, expect, it } from 'vitest';
import { tcpProgram } from './tcp-program.ts';

const base = { dumpSeconds: 5, byteCounts: true, oomEvents: true, l7: true } as const;

describe('the L7 part of the bpftrace program', () => {
  it('samples spans within a per-second budget, never for the excluded pid', () => {
    const text = tcpProgram({ ...base, spans: { fraction: 0.25, maxPerSecond: 100, excludePid: 4242 } });
    expect(text).toContain('if (pid != 4242 && @spanbudget < 100 && (rand % 10000) < 2500) {');
    expect(text).toContain('interval:s:1 {\n  @spanbudget = 0;\n  @spanepoch = 1 - @spanepoch;');
    expect(text).toContain('print(@spans0); clear(@spans0);');
    expect(text).toContain('@spans1[nsecs] = ((uint64)1, (uint64)$proto,');
    expect(text).not.toContain('printf("T ');
    expect(text).toContain('@l7buf[pid, $fd] = buf(uptr(');
  });

  it('has no span code without sampling', () => {
    const text = tcpProgram(base);
    expect(text).not.toContain('@spanbudget');
    expect(text).not.toContain('@l7buf');
    expect(text).not.toContain('@spans0');
  });

  it('hooks the socket probes with register arguments where the kernel has them', () => {
    const text = tcpProgram({ ...base, l7ArgsFromRegs: true, spans: { fraction: 1, maxPerSecond: 10 } });
    expect(text).toContain('tracepoint:sock:sock_send_length /args->ret > 0/ {');
    expect(text).toContain('tracepoint:sock:sock_recv_length /args->ret > 0/ {');
    // Keyed by socket, dropped when the socket closes; no per-call syscall probes left but sendmmsg.
    expect(text).toContain('@l7out[$ks] = (nsecs,');
    expect(text).toContain(
      'if (args->newstate == 7) { delete(@l7out[$sk]); delete(@l7in[$sk]); delete(@l7buf[$sk]); }',
    );
    expect(text).not.toMatch(
      /tracepoint:syscalls:sys_(enter|exit)_(read|write|writev|sendto|recvfrom|close) /,
    );
    expect(text).toContain('tracepoint:syscalls:sys_enter_sendmmsg {');
    // The one fd walk left is sendmmsg's (DNS); the socket probes are handed their socket.
    expect(text.match(/curtask->files->fdt->max_fds/g)).toHaveLength(1);
    expect(text).toContain('print(@l7miss);');
  });

  it('falls back to syscall probes: registers without the socket probes, or arguments remembered at entry', () => {
    const regs = tcpProgram({ ...base, byteCounts: false, l7ArgsFromRegs: true });
    expect(regs).toContain('$regs->orig_ax == (uint64)args->__syscall_nr');
    expect(regs).not.toContain('tracepoint:syscalls:sys_enter_read {');
    expect(regs).toContain('@l7out[pid, $fd] = (nsecs,');
    expect(regs).toContain('print(@l7miss);');
    const entry = tcpProgram({ ...base, l7ArgsFromRegs: false });
    expect(entry).toContain('tracepoint:syscalls:sys_enter_read {');
    // Byte counting alone in the socket probes: the followed sockets' counters start at 1.
    expect(entry).toContain('tracepoint:sock:sock_send_length /args->ret > 0/ {');
    expect(entry).toContain('@tx[$sk] = 1; @rx[$sk] = 1;');
    expect(entry).not.toContain('@l7out[$ks]');
    expect(entry).not.toContain('orig_ax');
  });
});

import { describe, expect, it } from 'vitest';
import { tcpProgram } from './tcp-program.ts';

const base = { dumpSeconds: 5, byteCounts: true, oomEvents: true, l7: true } as const;

describe('the L7 part of the bpftrace program', () => {
  it('samples spans within a per-second budget, never for the excluded pid', () => {
    const text = tcpProgram({ ...base, spans: { fraction: 0.25, maxPerSecond: 100, excludePid: 4242 } });
    expect(text).toContain('if (pid != 4242 && @spanbudget < 100 && (rand % 10000) < 2500) {');
    expect(text).toContain('interval:s:1 { @spanbudget = 0; }');
    expect(text).toContain('@l7buf[pid, $fd] = buf(uptr(');
  });

  it('has no span code without sampling', () => {
    const text = tcpProgram(base);
    expect(text).not.toContain('@spanbudget');
    expect(text).not.toContain('@l7buf');
    expect(text).not.toContain('printf("T ');
  });

  it('reads read arguments from the saved registers, or remembers them at entry', () => {
    const regs = tcpProgram({ ...base, l7ArgsFromRegs: true });
    expect(regs).toContain('$regs->orig_ax == (uint64)args->__syscall_nr');
    expect(regs).not.toContain('tracepoint:syscalls:sys_enter_read {');
    expect(regs).toContain('print(@l7miss);');
    const entry = tcpProgram({ ...base, l7ArgsFromRegs: false });
    expect(entry).toContain('tracepoint:syscalls:sys_enter_read {');
    expect(entry).not.toContain('orig_ax');
  });
});

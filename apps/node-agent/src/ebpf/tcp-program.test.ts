import { describe, expect, it } from 'vitest';
import { tcpProgram } from './tcp-program.ts';

const base = { dumpSeconds: 15, byteCounts: true, oomEvents: true } as const;

describe('the portable TCP program (for bpftrace --aot)', () => {
  it('has no cast (bpftrace 0.17 refuses every cast ahead of time) and prints @live instead of @info', () => {
    const text = tcpProgram({ ...base, portable: true });
    expect(text).not.toMatch(/\((uint|int)\d+ ?\*?\)/);
    expect(text).toContain('print(@live);');
    expect(text).not.toContain('print(@info);');
    // Added at ESTABLISHED with the fields @info gets, removed at CLOSE with the same fields.
    expect(text).toContain(
      '@live[$sk, $p, $g, (args->sport + 0), (args->dport + 0), ntop(args->saddr_v6), ntop(args->daddr_v6), $c] = 1;',
    );
    expect(text).toContain('delete(@live[$sk, $i.0, $i.1, $i.2, $i.3, $i.4, $i.5, $i.6]);');
  });

  it('differs from the usual program only in those respects', () => {
    const usual = tcpProgram(base);
    const portable = tcpProgram({ ...base, portable: true });
    const normalise = (text: string) =>
      text
        .split('\n')
        .filter((l) => !/^\s*(delete\()?@live\[/.test(l))
        .join('\n')
        .replace(/print\(@(info|live)\); /, '')
        .replace(/\(uint64\)(args->\w+|@cpid\[\$sk\])/g, '($1 + 0)')
        .replace(/\(uint64\)(\d+)/g, '$1');
    expect(normalise(portable)).toBe(normalise(usual));
  });

  it('refuses an L7 part', () => {
    expect(() => tcpProgram({ ...base, portable: true, l7: true })).toThrow('no L7 part');
  });
});

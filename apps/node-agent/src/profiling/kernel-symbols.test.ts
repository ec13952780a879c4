import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseKallsyms, readKernelSymbols } from './kernel-symbols.ts';
import { kernelAddressKey } from './stack-dump.ts';

const SAMPLE = [
  'ffffffff81000000 T _stext',
  'ffffffff81001000 t do_one_initcall',
  'ffffffff81002000 D some_data',
  'ffffffff821f94a0 T schedule',
  'ffffffffc0a00000 t nf_conntrack_in\t[nf_conntrack]',
].join('\n');

describe('parseKallsyms', () => {
  it.each([
    { address: 'ffffffff81000010', want: '_stext' },
    { address: 'ffffffff81002010', want: 'do_one_initcall' }, // data symbols are not functions
    { address: 'ffffffff821f94c3', want: 'schedule' },
    { address: 'ffffffffc0a00040', want: 'nf_conntrack_in' },
    { address: 'ffffffff80000000', want: undefined },
  ])('names $address $want', ({ address, want }) => {
    expect(parseKallsyms(SAMPLE).lookup(kernelAddressKey(address))).toBe(want);
  });

  it.runIf(process.getuid?.() === 0)('reads this kernel’s kallsyms (as root)', async () => {
    const symbols = await readKernelSymbols();
    expect(symbols.count).toBeGreaterThan(1000);
    const line = readFileSync('/proc/kallsyms', 'utf8').match(/^([0-9a-f]+) T schedule$/m);
    expect(symbols.lookup(kernelAddressKey(line![1]!) + 4)).toBe('schedule');
  });
});

import { describe, expect, it } from 'vitest';
import { kernelAddressKey, newParsedStack, parseStackKey } from './stack-dump.ts';

const parsed = (key: string) => {
  const out = newParsedStack();
  if (!parseStackKey(key, out)) return undefined;
  return {
    pid: out.pid,
    user: Array.from(out.user.subarray(0, out.userCount), (a) => a.toString(16)),
    kernel: Array.from(out.kernel.subarray(0, out.kernelCount), (a) => a.toString(16)),
    kernelNames: out.kernelNames.slice(0, out.kernelCount),
  };
};

describe('parseStackKey', () => {
  it.each([
    {
      what: 'user and kernel frames',
      key: '2966,\n\t7feb44e46f36 0x7feb44e46f36 ([unknown])\n,\n\tffffffff813a2413 finish_task_switch.isra.0+147\n\tffffffff821f94c3 schedule+35\n',
      want: {
        pid: 2966,
        user: ['7feb44e46f36'],
        kernel: ['fffff813a2413', 'fffff821f94c3'],
        kernelNames: ['finish_task_switch.isra.0', 'schedule'],
      },
    },
    {
      what: 'no user stack (a kernel thread)',
      key: '77,,\n\tffffffff816a40c8 damon_update_region_access_rate+8\n',
      want: {
        pid: 77,
        user: [],
        kernel: ['fffff816a40c8'],
        kernelNames: ['damon_update_region_access_rate'],
      },
    },
    {
      what: 'no kernel stack',
      key: '8298,\n\t7f1ec257d67f 0x7f1ec257d67f ([unknown])\n\t55d0c4a1b2c3 0x55d0c4a1b2c3 ([unknown])\n,',
      want: { pid: 8298, user: ['7f1ec257d67f', '55d0c4a1b2c3'], kernel: [], kernelNames: [] },
    },
    {
      what: 'a kernel frame bpftrace could not name',
      key: '5,,\n\tffffffffc0a01234 0xffffffffc0a01234\n',
      want: { pid: 5, user: [], kernel: ['fffffc0a01234'], kernelNames: [''] },
    },
    { what: 'no stacks at all', key: '12,,', want: { pid: 12, user: [], kernel: [], kernelNames: [] } },
  ])('reads $what', ({ key, want }) => {
    expect(parsed(key)).toEqual(want);
  });

  it.each(['', 'abc,', '12', '12,\nxyz'])('refuses %j', (key) => {
    expect(parsed(key)).toBeUndefined();
  });

  it('keeps the low 52 bits of kernel addresses, as kallsyms addresses are keyed', () => {
    expect(kernelAddressKey('ffffffff821f94c3')).toBe(0xfffff821f94c3);
    expect(parsed('1,,\n\tffffffff821f94c3 schedule+35\n')?.kernel).toEqual(['fffff821f94c3']);
  });
});

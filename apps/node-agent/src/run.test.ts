import { silentLogger } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import { runNodeAgent } from './run.ts';

describe('runNodeAgent settings', () => {
  it('rejects a VIGIL_EBPF_MAP_SIZE that is not a whole number in range, saying what was wrong', async () => {
    for (const bad of ['lots', '100', '1.5', '9999999']) {
      await expect(
        runNodeAgent(
          ['--listen', '127.0.0.1:0'],
          { VIGIL_EBPF_MAP_SIZE: bad, VIGIL_EBPF: 'off' },
          silentLogger,
        ),
      ).rejects.toThrow(`VIGIL_EBPF_MAP_SIZE must be a whole number from 1024 to 1048576, not "${bad}"`);
    }
  });

  it('rejects a VIGIL_L7_HOOKS other than sockets or syscalls', async () => {
    await expect(
      runNodeAgent(
        ['--listen', '127.0.0.1:0'],
        { VIGIL_L7_HOOKS: 'kprobes', VIGIL_EBPF: 'off' },
        silentLogger,
      ),
    ).rejects.toThrow('VIGIL_L7_HOOKS must be "sockets" or "syscalls", not "kprobes"');
  });

  it('rejects a VIGIL_EBPF_AOT other than auto or off', async () => {
    await expect(
      runNodeAgent(['--listen', '127.0.0.1:0'], { VIGIL_EBPF_AOT: 'yes', VIGIL_EBPF: 'off' }, silentLogger),
    ).rejects.toThrow('VIGIL_EBPF_AOT must be "auto" or "off", not "yes"');
  });

  it('rejects a VIGIL_PROFILING_HZ that is not a whole number from 1 to 999', async () => {
    for (const bad of ['0', '1000', 'fast', '49.5']) {
      await expect(
        runNodeAgent(
          ['--listen', '127.0.0.1:0'],
          { VIGIL_PROFILING_HZ: bad, VIGIL_EBPF: 'off' },
          silentLogger,
        ),
      ).rejects.toThrow(`VIGIL_PROFILING_HZ must be a whole number from 1 to 999, not "${bad}"`);
    }
  });
});

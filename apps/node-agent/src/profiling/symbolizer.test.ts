import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { makeTempDir } from '@vigil/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { readProcessMaps } from './process-maps.ts';
import { Symbolizer } from './symbolizer.ts';
import { C_FUNCTION, compileBurner } from './testing/burn-programs.ts';

const tmp = makeTempDir('vigil-symbolizer-');
const children: ChildProcessWithoutNullStreams[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  tmp.cleanup();
});

/** Starts the burner; resolves with its pid and the addresses it printed. */
async function startBurner(pie: boolean): Promise<{ pid: number; fn: number; qsort: number }> {
  const child = spawn(compileBurner(tmp.dir, { pie, name: `burn-${pie}` }), []);
  children.push(child);
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const [, fn, qsort] = line.split(' ');
  return { pid: child.pid!, fn: parseInt(fn!, 16), qsort: parseInt(qsort!, 16) };
}

const key = (pid: number, addresses: number[]) =>
  `${pid},\n${addresses.map((a) => `\t${a.toString(16)} 0x${a.toString(16)} ([unknown])\n`).join('')},`;

describe('Symbolizer', () => {
  it.each([true, false])(
    'names a live process’s frames in its executable and in libc (PIE: %s)',
    async (pie) => {
      const { pid, fn, qsort } = await startBurner(pie);
      const symbolizer = new Symbolizer();
      await symbolizer.prepare([key(pid, [fn + 3, qsort])]);
      expect(symbolizer.userFrame(pid, fn + 3)).toBe(C_FUNCTION);
      // Without PIE, &qsort is the executable's PLT stub (the canonical address), not libc's.
      if (pie) expect(symbolizer.userFrame(pid, qsort)).toMatch(/qsort/);
      expect(symbolizer.stats().symbolFiles).toBe(pie ? 2 : 1);
    },
  );

  it('names addresses outside any mapping [unknown], and file addresses without a symbol by file and offset', async () => {
    const { pid } = await startBurner(true);
    const maps = await readProcessMaps(pid);
    const exe = maps!.mappings.find((m) => m.path.endsWith('burn-true'))!;
    const symbolizer = new Symbolizer();
    await symbolizer.prepare([key(pid, [8, exe.start])]);
    expect(symbolizer.userFrame(pid, 8)).toBe('[unknown]');
    // The start of the text mapping is the PLT/init area: either a symbol or file+offset.
    expect(symbolizer.userFrame(pid, exe.start)).toMatch(/^(burn-true\+0x[0-9a-f]+|_init|.+)$/);
  });

  it('keeps naming a process’s frames for a while after it exited', async () => {
    const { pid, fn } = await startBurner(true);
    const symbolizer = new Symbolizer();
    await symbolizer.prepare([key(pid, [fn])]);
    const child = children.find((c) => c.pid === pid)!;
    child.kill('SIGKILL');
    await once(child, 'exit');
    await symbolizer.prepare([key(pid, [fn])]);
    expect(symbolizer.userFrame(pid, fn)).toBe(C_FUNCTION);
  });

  it('bounds the symbol tables it keeps', async () => {
    const { pid, fn, qsort } = await startBurner(true);
    const symbolizer = new Symbolizer({ maxSymbolBytes: 1 });
    await symbolizer.prepare([key(pid, [fn, qsort])]);
    expect(symbolizer.stats().symbolFiles).toBe(1);
  });
});

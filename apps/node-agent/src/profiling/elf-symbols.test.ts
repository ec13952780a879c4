import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { makeTempDir } from '@vigil/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { readElfSymbols } from './elf-symbols.ts';
import { C_FUNCTION, compileBurner } from './testing/burn-programs.ts';

const tmp = makeTempDir('vigil-elf-');
afterAll(() => tmp.cleanup());

/** Function symbols as `nm` sees them: name → address. */
function nm(file: string, dynamic = false): Map<string, number> {
  const out = execFileSync('nm', [...(dynamic ? ['-D'] : []), '--defined-only', file], { encoding: 'utf8' });
  const symbols = new Map<string, number>();
  for (const line of out.split('\n')) {
    const [addr, type, name] = line.split(' ');
    if (addr && name && /^[tTwWi]$/.test(type ?? ''))
      symbols.set(name.replace(/@.*$/, ''), parseInt(addr, 16));
  }
  return symbols;
}

describe('readElfSymbols', () => {
  it.each([
    { what: 'a PIE executable', pie: true },
    { what: 'a fixed-address executable', pie: false },
  ])('resolves the functions of $what compiled here by gcc', async ({ pie }) => {
    const file = compileBurner(tmp.dir, { pie, name: pie ? 'burn-pie' : 'burn-nopie' });
    const symbols = await readElfSymbols(file);
    const address = nm(file).get(C_FUNCTION);
    expect(address).toBeGreaterThan(0);
    expect(symbols.lookup(address!)).toBe(C_FUNCTION);
    expect(symbols.lookup(address! + 5)).toBe(C_FUNCTION);
    expect(symbols.lookup(nm(file).get('main')!)).toBe('main');
  });

  it('resolves the dynamic symbols of a stripped system binary (/bin/ls)', async () => {
    const lib = execFileSync('sh', ['-c', "ldd /bin/ls | awk '/libc.so/ {print $3}'"], {
      encoding: 'utf8',
    }).trim();
    const symbols = await readElfSymbols(lib);
    const dyn = nm(lib, true);
    for (const name of ['qsort', 'getpid', 'malloc']) {
      const address = dyn.get(name);
      expect(address, name).toBeGreaterThan(0);
      // Aliases share addresses (getpid / __getpid): the name found must be one of them.
      const found = symbols.lookup(address!);
      const aliases = [...dyn].filter(([, a]) => a === address).map(([n]) => n);
      expect(aliases).toContain(found);
    }
    expect((await readElfSymbols('/bin/ls')).count).toBeGreaterThan(0);
  });

  it('maps file offsets to virtual addresses through the PT_LOAD segments', async () => {
    const file = compileBurner(tmp.dir, { pie: false, name: 'burn-offsets' });
    const symbols = await readElfSymbols(file);
    const address = nm(file).get(C_FUNCTION)!;
    // A fixed-address executable's text is loaded at 0x400000 + its file offset.
    expect(symbols.vaddrOf(address - 0x400000)).toBe(address);
    expect(symbols.lookupFileOffset(address - 0x400000)).toBe(C_FUNCTION);
  });

  it('names functions from the file it opened even after that file was deleted, until closed', async () => {
    const file = compileBurner(tmp.dir, { pie: true, name: 'burn-deleted' });
    const table = nm(file);
    const symbols = await readElfSymbols(file);
    rmSync(file);
    expect(symbols.lookup(table.get(C_FUNCTION)!)).toBe(C_FUNCTION);
    symbols.close();
    // A name already read is remembered; one never read can no longer be.
    expect(symbols.lookup(table.get(C_FUNCTION)!)).toBe(C_FUNCTION);
    expect(symbols.lookup(table.get('main')!)).toBeUndefined();
  });

  it('refuses what is not an ELF file', async () => {
    await expect(readElfSymbols('/etc/hostname')).rejects.toThrow(/ELF/);
  });
});

describe('readElfSymbols with debug files', () => {
  const lib = execFileSync('sh', ['-c', "ldd /bin/ls | awk '/libc.so/ {print $3}'"], {
    encoding: 'utf8',
  }).trim();
  const buildId = /Build ID: ([0-9a-f]+)/.exec(
    execFileSync('readelf', ['-n', lib], { encoding: 'utf8' }),
  )?.[1];
  const debugFiles = (id: string) => [`/usr/lib/debug/.build-id/${id.slice(0, 2)}/${id.slice(2)}.debug`];
  const debugFile = buildId === undefined ? undefined : debugFiles(buildId)[0]!;

  it.runIf(debugFile !== undefined && existsSync(debugFile))(
    'adds the local functions of stripped libc from its build-id debug file',
    async () => {
      const local = nm(debugFile!).get('__libc_start_call_main');
      expect(local).toBeGreaterThan(0);
      expect((await readElfSymbols(lib)).lookup(local! + 4)).not.toBe('__libc_start_call_main');
      expect((await readElfSymbols(lib, { debugFiles })).lookup(local! + 4)).toBe('__libc_start_call_main');
    },
  );
});

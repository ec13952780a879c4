import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '@vigil/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { nodejsEventLoopProbes } from './nodejs-event-loop.ts';
import { pythonGilProbes } from './python-gil.ts';
import { UprobeTargets } from './uprobe-targets.ts';

let temp: { dir: string; cleanup: () => void } | undefined;
afterEach(() => temp?.cleanup());

/**
 * A /proc with processes whose `exe` and `root` link to real files of this machine (the links
 * are what is read; the files only need to exist to be stat'ed).
 */
function fakeProc(processes: Record<number, { exe: string; root?: string; maps?: string }>): string {
  temp = makeTempDir('vigil-uprobe-targets-');
  for (const [pid, p] of Object.entries(processes)) {
    mkdirSync(`${temp.dir}/${pid}`);
    symlinkSync(p.exe, `${temp.dir}/${pid}/exe`);
    symlinkSync(p.root ?? '/', `${temp.dir}/${pid}/root`);
    writeFileSync(`${temp.dir}/${pid}/maps`, p.maps ?? '');
  }
  return temp.dir;
}

const LIBC_MAPS = `7f5e43e51000-7f5e43fa7000 r-xp 00026000 fe:00 339380     ${process.execPath}\n`;

describe('UprobeTargets', () => {
  it('probes each node executable once, with the libuv callbacks it has symbols for', async () => {
    const proc = fakeProc({
      10: { exe: process.execPath },
      11: { exe: process.execPath },
      12: { exe: '/bin/sh' },
    });
    const asked: string[] = [];
    const targets = new UprobeTargets(proc, async (file, pattern) => {
      asked.push(`${file}:${pattern}`);
      return ['uv__io_poll', 'uv__stream_io', 'uv__async_io', 'uv_run'];
    });
    const found = await targets.refresh([10, 11, 12]);
    expect(found.node).toEqual([{ path: process.execPath, callbacks: ['uv__stream_io', 'uv__async_io'] }]);
    expect(found.pythonLibc).toEqual([]);
    await targets.refresh([10, 11, 12]);
    expect(asked).toEqual([`${process.execPath}:uv__*`]); // symbols listed once per file
  });

  it('leaves out a node executable without uv__io_poll (stripped, or libuv as a shared library)', async () => {
    const proc = fakeProc({ 10: { exe: process.execPath } });
    const found = await new UprobeTargets(proc, async () => ['uv_run']).refresh([10]);
    expect(found.node).toEqual([]);
  });

  it.each([
    [
      ['pthread_cond_timedwait', 'pthread_cond_timedwait@@GLIBC_2.3.2', 'pthread_cond_timedwait@GLIBC_2.2.5'],
      'pthread_cond_timedwait@@GLIBC_2.3.2',
    ],
    [['pthread_cond_timedwait'], 'pthread_cond_timedwait'],
  ])('probes the C library of Python processes at the default version of %j', async (symbols, symbol) => {
    // The "libc" here is any existing file; its name in maps is what marks it.
    const proc = fakeProc({
      20: {
        exe: '/usr/bin/python3.11',
        maps: LIBC_MAPS.replace(process.execPath, '/usr/lib/x86_64-linux-gnu/libc.so.6'),
      },
    });
    const found = await new UprobeTargets(proc, async () => symbols).refresh([20]);
    expect(found.pythonPids).toEqual(new Set([20]));
    expect(found.pythonLibc).toEqual([{ path: '/usr/lib/x86_64-linux-gnu/libc.so.6', symbol }]);
  });

  it('reaches a container process’s files through its root', async () => {
    // The container's root is the directory of this machine's node binary, so `/node` in it exists.
    const proc = fakeProc({ 30: { exe: '/node', root: path.dirname(process.execPath) } });
    const found = await new UprobeTargets(proc, async () => ['uv__io_poll']).refresh([30]);
    expect(found.node).toEqual([{ path: `${proc}/30/root/node`, callbacks: [] }]);
  });
});

describe('probe programs', () => {
  it('has nothing to run without targets', () => {
    expect(nodejsEventLoopProbes([])).toBe('');
    expect(pythonGilProbes([])).toBe('');
  });

  it('times polls and callbacks on the main thread only, and cleans up at exit', () => {
    const text = nodejsEventLoopProbes([{ path: '/usr/bin/node', callbacks: ['uv__stream_io'] }]);
    expect(text).toContain('uretprobe:/usr/bin/node:uv__io_poll /pid == tid/');
    expect(text).toContain('uprobe:/usr/bin/node:uv__stream_io /pid == tid/');
    expect(text).toContain('tracepoint:sched:sched_process_exit');
  });

  it('quotes versioned symbol names', () => {
    const text = pythonGilProbes([{ path: '/lib/libc.so.6', symbol: 'pthread_cond_timedwait@@GLIBC_2.3.2' }]);
    expect(text).toContain('uprobe:/lib/libc.so.6:"pthread_cond_timedwait@@GLIBC_2.3.2"');
  });
});

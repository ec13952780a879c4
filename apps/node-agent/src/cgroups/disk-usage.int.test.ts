/**
 * Disk I/O of a real v1 blkio group this test makes (root): a child moved into it writes 8 MiB
 * with O_DIRECT to a file on the root file system and reads it back the same way, and the
 * group's counters must show it on the root disk, mounted at `/`. Direct I/O because v1 charges
 * background writeback to the root group.
 *
 * On this machine's kernel (6.18) blk-throttle counts nothing for a disk until some group has a
 * throttle rule for it, so the test gives its own group a limit far above any real rate.
 *
 * The disk delay case switches `kernel.task_delayacct` on for its duration (off by default)
 * and puts it back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { serviceGate } from '@vigil/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { parseProcCgroup } from '../discovery/proc-cgroup.ts';
import { detectLayout } from './container-resources.ts';
import { DelayCounter } from './cpu-delay.ts';
import {
  blkioDelayAccounted,
  parseMountInfo,
  readContainerDiskIo,
  readThreadBlkioDelays,
} from './disk-usage.ts';

const BLKIO = '/sys/fs/cgroup/blkio';
const GROUP = path.join(BLKIO, `vigil-test-disk-${process.pid}`);
const FILE = `/var/tmp/vigil-test-disk-${process.pid}`;
const DELAYACCT = '/proc/sys/kernel/task_delayacct';
const children: ChildProcess[] = [];
let madeGroup = false;

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(FILE, { force: true });
  rmSync(`${FILE}.dsync`, { force: true });
  if (!madeGroup) return;
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      rmdirSync(GROUP);
      return;
    } catch {
      if (Date.now() > deadline) return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
});

/** The disk (`major:minor`) holding the root file system, and its name from /proc/partitions. */
function rootDisk(): { majorMinor: string; name: string } {
  const root = parseMountInfo(readFileSync('/proc/self/mountinfo', 'utf8')).find((m) => m.mountPoint === '/');
  let majorMinor = root!.majorMinor;
  const dir = `/sys/dev/block/${majorMinor}`;
  if (existsSync(`${dir}/partition`))
    majorMinor = readFileSync(path.join(realpathSync(dir), '..', 'dev'), 'utf8').trim();
  const [major, minor] = majorMinor.split(':');
  const row = readFileSync('/proc/partitions', 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .find((f) => f[0] === major && f[1] === minor);
  return { majorMinor, name: row![3]! };
}

/** Runs `script` in a shell once told to go; resolves with the shell when it says `done`. */
function shellChild(script: string): { child: ChildProcess; go: () => Promise<void> } {
  const child = spawn('sh', ['-c', `read x; ${script}; echo done; read y`], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  const done = new Promise<void>((resolve) =>
    child.stdout!.on('data', (d: Buffer) => d.includes('done') && resolve()),
  );
  return {
    child,
    go: () => {
      child.stdin!.write('go\n');
      return done;
    },
  };
}

const canUseBlkio = (): boolean => process.getuid?.() === 0 && existsSync(path.join(BLKIO, 'cgroup.procs'));

describe('readContainerDiskIo on a real v1 blkio group', () => {
  it('counts 8 MiB written and 8 MiB read with O_DIRECT on the root disk, mounted at /', async () => {
    if (
      !serviceGate(
        'root and a writable cgroup v1 blkio hierarchy',
        canUseBlkio(),
        'run as root on a v1 or hybrid host',
      )
    )
      return;
    const disk = rootDisk();
    mkdirSync(GROUP);
    madeGroup = true;
    writeFileSync(path.join(GROUP, 'blkio.throttle.write_bps_device'), `${disk.majorMinor} ${2 ** 40}`);

    const { child, go } = shellChild(
      `dd if=/dev/zero of=${FILE} bs=1M count=8 oflag=direct 2>/dev/null && dd if=${FILE} of=/dev/null bs=1M iflag=direct 2>/dev/null`,
    );
    writeFileSync(path.join(GROUP, 'cgroup.procs'), String(child.pid));
    await go();

    const paths = parseProcCgroup(readFileSync(`/proc/${child.pid}/cgroup`, 'utf8'));
    expect(paths.get('blkio')).toBe(`/${path.basename(GROUP)}`);
    const io = await readContainerDiskIo(paths, await detectLayout(), { pid: child.pid! });
    const root = io.find((d) => d.majorMinor === disk.majorMinor);
    expect(root).toBeDefined();
    expect(root!.device).toBe(disk.name);
    expect(root!.mountPoint).toBe('/');
    expect(root!.writtenBytes).toBeGreaterThanOrEqual(8 * 1024 * 1024);
    expect(root!.readBytes).toBeGreaterThanOrEqual(8 * 1024 * 1024);
    expect(root!.writes).toBeGreaterThan(0);
    expect(root!.reads).toBeGreaterThan(0);
  }, 60_000);
});

describe('disk delay of a real process', () => {
  it('grows while a child waits on synchronous writes, with delay accounting on', async () => {
    const writable = process.getuid?.() === 0 && existsSync(DELAYACCT);
    if (!serviceGate('root and kernel.task_delayacct', writable, 'run as root on Linux ≥ 5.14')) return;
    const before = readFileSync(DELAYACCT, 'utf8').trim();
    writeFileSync(DELAYACCT, '1');
    try {
      expect(await blkioDelayAccounted()).toBe(true);
      // 2048 writes of 4 KiB, each waited for (O_DSYNC): hundreds of ms blocked on the disk,
      // kept in 1/100 s ticks by the main thread.
      const child = spawn(
        process.execPath,
        [
          '-e',
          `const fs = require('node:fs');
           process.stdin.once('data', () => {
             const fd = fs.openSync(${JSON.stringify(`${FILE}.dsync`)}, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_DSYNC);
             const page = Buffer.alloc(4096, 1);
             for (let i = 0; i < 2048; i++) fs.writeSync(fd, page);
             fs.closeSync(fd);
             process.stdout.write('done\\n');
             setInterval(() => {}, 1000);
           });`,
        ],
        { stdio: ['pipe', 'pipe', 'inherit'] },
      );
      children.push(child);
      const done = new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
      child.stdin!.write('go\n');
      await done;
      const threads = await readThreadBlkioDelays([child.pid!]);
      expect(threads.get(child.pid!)).toBeGreaterThan(0);
      const totals = new DelayCounter().update(new Map([['/host/writer', threads]]));
      expect(totals.get('/host/writer')).toBeGreaterThan(0);
    } finally {
      writeFileSync(DELAYACCT, before);
    }
  }, 60_000);
});

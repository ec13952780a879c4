import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { serviceGate } from '@vigil/testkit';
import { describe, expect, it } from 'vitest';
import { openLogFiles } from './open-log-files.ts';

const root = serviceGate('root', process.getuid?.() === 0, 'run as root (the test writes under /var/log)');

describe.runIf(root)('openLogFiles', () => {
  it('finds a file a process holds open for writing, not one it only reads', async () => {
    const dir = `/var/log/vigil-open-files-${process.pid}`;
    mkdirSync(dir, { recursive: true });
    // fd 3 appends to w.log, fd 4 reads r.log (created first so it can be read).
    const child = spawn('sh', [
      '-c',
      `: > ${dir}/r.log; exec 3>>${dir}/w.log 4<${dir}/r.log; echo ready; sleep 30`,
    ]);
    try {
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      expect(await openLogFiles(child.pid!)).toEqual([`${dir}/w.log`]);
    } finally {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * JournaldFollower with a stand-in `journalctl`: journald does not run on this project's machines,
 * so a script prints entries recorded from `journalctl -o json` (systemd 252) and exits, the way
 * journalctl ends when the journal goes away. The follower must hand over the units' entries,
 * skip the rest, and start journalctl again after it exits.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { silentLogger } from '@vigil/core';
import { makeTempDir } from '@vigil/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { JournaldFollower, type JournalEntry } from './journald-follower.ts';

const RECORDED = [
  '{"__CURSOR":"s=1;i=1","__REALTIME_TIMESTAMP":"1767225600123456","__MONOTONIC_TIMESTAMP":"1","_BOOT_ID":"b","PRIORITY":"3","_SYSTEMD_UNIT":"nginx.service","_SYSTEMD_SLICE":"system.slice","MESSAGE":"upstream timed out (110: Connection timed out)"}',
  '{"__CURSOR":"s=1;i=2","__REALTIME_TIMESTAMP":"1767225600200000","__MONOTONIC_TIMESTAMP":"2","_BOOT_ID":"b","PRIORITY":"6","MESSAGE":"kernel: eth0 link up"}',
  '{"__CURSOR":"s=1;i=3","__REALTIME_TIMESTAMP":"1767225600300000","__MONOTONIC_TIMESTAMP":"3","_BOOT_ID":"b","PRIORITY":"4","_SYSTEMD_UNIT":"cron.service","MESSAGE":[119,97,114,110]}',
];

let cleanup: (() => void) | undefined;
let follower: JournaldFollower | undefined;
afterEach(async () => {
  await follower?.stop();
  cleanup?.();
});

describe('JournaldFollower', () => {
  it('passes on the entries of units, and restarts journalctl when it exits', async () => {
    const tmp = makeTempDir('vigil-journalctl-');
    cleanup = tmp.cleanup;
    const script = path.join(tmp.dir, 'journalctl');
    const argsFile = path.join(tmp.dir, 'args');
    writeFileSync(script, `#!/bin/sh\necho "$@" >> ${argsFile}\ncat <<'EOF'\n${RECORDED.join('\n')}\nEOF\n`);
    chmodSync(script, 0o755);
    const entries: JournalEntry[] = [];
    follower = new JournaldFollower({
      journalctl: script,
      logger: silentLogger,
      onEntry: (e) => entries.push(e),
    });
    follower.start();
    const deadline = Date.now() + 10_000;
    while (entries.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(entries.slice(0, 2)).toEqual([
      {
        unit: 'nginx.service',
        slice: 'system.slice',
        message: 'upstream timed out (110: Connection timed out)',
        priority: 3,
        timestampMs: 1767225600123,
      },
      { unit: 'cron.service', slice: '', message: 'warn', priority: 4, timestampMs: 1767225600300 },
    ]);
    // The second run (after the back-off) printed the same two again.
    expect(entries.slice(2, 4)).toEqual(entries.slice(0, 2));
    const runs = readFileSync(argsFile, 'utf8').trim().split('\n');
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs[0]).toBe(
      '-o json -f -n 0 --no-pager --output-fields=MESSAGE,PRIORITY,_SYSTEMD_UNIT,_SYSTEMD_SLICE',
    );
  });
});

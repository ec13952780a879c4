/**
 * The collector's journald path with a stand-in `journalctl` (journald does not run on this
 * project's machines): entries recorded from `journalctl -o json` (systemd 252) reach the systemd
 * service whose unit — or, for a unit in a sub-slice, whose slice — they name, get their level
 * from PRIORITY, and are counted under source "journald".
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { OutgoingLogRecord } from '@vigil/protocols';
import { makeTempDir } from '@vigil/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { LogCollector } from './log-collector.ts';

const ENTRIES = [
  '{"__REALTIME_TIMESTAMP":"1767225600100000","PRIORITY":"3","_SYSTEMD_UNIT":"nginx.service","_SYSTEMD_SLICE":"system.slice","MESSAGE":"upstream timed out (110: Connection timed out) while reading response header"}',
  '{"__REALTIME_TIMESTAMP":"1767225600200000","PRIORITY":"6","_SYSTEMD_UNIT":"nginx.service","_SYSTEMD_SLICE":"system.slice","MESSAGE":"GET /healthz 200"}',
  '{"__REALTIME_TIMESTAMP":"1767225600300000","PRIORITY":"4","_SYSTEMD_UNIT":"getty@tty1.service","_SYSTEMD_SLICE":"system-getty.slice","MESSAGE":"tty1: no carrier"}',
  '{"__REALTIME_TIMESTAMP":"1767225600400000","PRIORITY":"2","_SYSTEMD_UNIT":"unknown.service","_SYSTEMD_SLICE":"system.slice","MESSAGE":"not ours"}',
];

let cleanup: (() => void) | undefined;
let collector: LogCollector | undefined;
afterEach(async () => {
  await collector?.stop();
  cleanup?.();
});

describe('LogCollector with journald', () => {
  it('routes entries to the systemd service they came from, with the level journald gave them', async () => {
    const tmp = makeTempDir('vigil-journald-');
    cleanup = tmp.cleanup;
    const journalDir = path.join(tmp.dir, 'journal');
    mkdirSync(path.join(journalDir, 'machine-id'), { recursive: true });
    const go = path.join(tmp.dir, 'go');
    const journalctl = path.join(tmp.dir, 'journalctl');
    writeFileSync(
      journalctl,
      [
        '#!/bin/sh',
        '[ "$1" = --version ] && { echo "systemd 252"; exit 0; }',
        `while [ ! -e ${go} ]; do sleep 0.05; done`,
        "cat <<'EOF'",
        ...ENTRIES,
        'EOF',
        'exec sleep 60',
      ].join('\n'),
    );
    chmodSync(journalctl, 0o755);
    const records: Array<[string, OutgoingLogRecord]> = [];
    collector = new LogCollector({
      journaldLocations: { journalctl, journalDirs: [journalDir], socket: path.join(tmp.dir, 'none') },
      pollIntervalMs: 60_000,
      onRecord: (id, record) => records.push([id, record]),
    });
    await collector.start();
    expect(collector.status()).toMatchObject({ journald: 'following' });
    await collector.sync([
      { id: '/system.slice/nginx.service', appId: '/system.slice/nginx.service', kind: 'systemd', pids: [] },
      {
        id: '/system.slice/system-getty.slice',
        appId: '/system.slice/system-getty.slice',
        kind: 'systemd',
        pids: [],
      },
      { id: '/host/bash', appId: '/host/bash', kind: 'host', pids: [] },
    ]);
    expect(collector.sources().map((s) => [s.containerId, s.source])).toEqual([
      ['/system.slice/nginx.service', 'journald'],
      ['/system.slice/system-getty.slice', 'journald'],
    ]);
    writeFileSync(go, '');
    const deadline = Date.now() + 10_000;
    while (records.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200)); // the fourth entry must not arrive
    expect(records.map(([id, r]) => [id, r.severityText, r.body])).toEqual([
      [
        '/system.slice/nginx.service',
        'error',
        'upstream timed out (110: Connection timed out) while reading response header',
      ],
      ['/system.slice/nginx.service', 'info', 'GET /healthz 200'],
      ['/system.slice/system-getty.slice', 'warning', 'tty1: no carrier'],
    ]);
    expect(records[0]![1].timeUnixNano).toBe(1_767_225_600_100_000_000n);
    const samples = collector.families((id) => ({ container_id: id }))[0]!.samples;
    expect(samples.map((s) => [s.labels.container_id, s.labels.source, s.labels.level, s.value])).toEqual([
      ['/system.slice/nginx.service', 'journald', 'error', 1],
      ['/system.slice/nginx.service', 'journald', 'info', 1],
      ['/system.slice/system-getty.slice', 'journald', 'warning', 1],
    ]);
  });
});

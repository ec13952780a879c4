/**
 * The collector on kubelet-style CRI logs made by the test under a temporary /var/log/pods (no
 * Kubernetes runs here): partial entries joined, a Python traceback assembled, a container
 * restart (1.log after 0.log) and kubelet's rotation followed, records and counts exact.
 */
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { OutgoingLogRecord } from '@vigil/protocols';
import { makeTempDir } from '@vigil/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogContainer } from './discovery/log-container.ts';
import { LogCollector } from './log-collector.ts';

const CONTAINER: LogContainer = {
  id: '/k8s/shop/cart-7d9f8b6c5-x2x9q/cart',
  appId: '/k8s/shop/deployment/cart',
  kind: 'containerd',
  pids: [],
};

let cleanup: (() => void) | undefined;
let collector: LogCollector | undefined;
afterEach(async () => {
  await collector?.stop();
  cleanup?.();
});

const cri = (stream: string, tag: 'P' | 'F', text: string, second = 0): string =>
  `2026-03-04T05:06:0${second}.123456789Z ${stream} ${tag} ${text}\n`;

async function settle(c: LogCollector): Promise<void> {
  await c.pollOnce();
  // Quiet messages complete after a second without lines.
  await new Promise((r) => setTimeout(r, 1100));
  await c.pollOnce();
}

describe('LogCollector with CRI logs under /var/log/pods', () => {
  it('joins partial entries, assembles a traceback, and follows a restart and a rotation', async () => {
    const tmp = makeTempDir('vigil-pods-');
    cleanup = tmp.cleanup;
    const dir = path.join(tmp.dir, 'shop_cart-7d9f8b6c5-x2x9q_0b5c1f7e-8d2a-4c3b-9e1f-7a6b5c4d3e2f', 'cart');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, '0.log'), cri('stdout', 'F', 'started before the agent'));
    const records: OutgoingLogRecord[] = [];
    collector = new LogCollector({
      podsLogDir: tmp.dir,
      journald: false,
      pollIntervalMs: 60_000,
      onRecord: (id, record) => {
        expect(id).toBe(CONTAINER.id);
        records.push(record);
      },
    });
    await collector.start();
    await collector.sync([CONTAINER]);
    expect(collector.sources()).toEqual([
      { containerId: CONTAINER.id, source: 'stdout/stderr', path: path.join(dir, '0.log') },
    ]);

    appendFileSync(
      path.join(dir, '0.log'),
      cri('stdout', 'P', 'INFO checkout ', 1) +
        cri('stdout', 'P', 'of basket 77 ', 1) +
        cri('stdout', 'F', 'done', 1) +
        cri('stderr', 'F', 'Traceback (most recent call last):', 2) +
        cri('stderr', 'F', '  File "/app/cart.py", line 12, in add', 2) +
        cri('stderr', 'F', '    raise ValueError("bad qty")', 2) +
        cri('stderr', 'F', 'ValueError: bad qty', 2),
    );
    await settle(collector);
    expect(records.map((r) => [r.severityText, r.body, r.attributes['log.iostream']])).toEqual([
      ['info', 'INFO checkout of basket 77 done', 'stdout'],
      [
        'error',
        'Traceback (most recent call last):\n  File "/app/cart.py", line 12, in add\n    raise ValueError("bad qty")\nValueError: bad qty',
        'stderr',
      ],
    ]);
    expect(records[0]!.timeUnixNano).toBe(BigInt(Date.parse('2026-03-04T05:06:01.123Z')) * 1_000_000n);

    // kubelet rotates 0.log (rename + new file), then the container restarts into 1.log.
    appendFileSync(path.join(dir, '0.log'), cri('stdout', 'F', 'WARN last words of run 0', 3));
    renameSync(path.join(dir, '0.log'), path.join(dir, '0.log.20260304-050604'));
    writeFileSync(path.join(dir, '0.log'), cri('stdout', 'F', 'WARN after rotation', 4));
    await settle(collector);
    writeFileSync(path.join(dir, '1.log'), '');
    await collector.sync([CONTAINER]);
    appendFileSync(path.join(dir, '1.log'), cri('stdout', 'F', 'ERROR run 1 failed', 5));
    await settle(collector);
    expect(collector.sources().map((s) => s.path)).toEqual([path.join(dir, '1.log')]);
    expect(records.slice(2).map((r) => [r.severityText, r.body])).toEqual([
      ['warning', 'WARN last words of run 0'],
      ['warning', 'WARN after rotation'],
      ['error', 'ERROR run 1 failed'],
    ]);

    const family = collector.families(() => ({ container_id: CONTAINER.id }))[0];
    const counts = Object.fromEntries(
      family!.samples.map((s) => [`${s.labels.level}|${s.labels.pattern_hash}`, s.value]),
    );
    const hash = (i: number): string => records[i]!.attributes['pattern.hash']!;
    expect(counts).toEqual({
      'info|': 1,
      [`error|${hash(1)}`]: 1,
      [`warning|${hash(2)}`]: 1,
      [`warning|${hash(3)}`]: 1,
      [`error|${hash(4)}`]: 1,
    });
    expect(new Set([hash(1), hash(2), hash(3), hash(4)]).size).toBe(4);
  });
});

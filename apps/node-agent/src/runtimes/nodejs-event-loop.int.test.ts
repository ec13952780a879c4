/**
 * Node.js event-loop blocked time through real uprobes (bpftrace, as root) on this machine's
 * `node`: a child process blocks its loop with busy-waits of known length inside timers and
 * inside an I/O callback (a stdin read), and the counter must come within 20% of their sum.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { ebpfGate } from '../ebpf/testing/ebpf-gate.ts';
import { RuntimeMetrics } from './runtime-metrics.ts';
import { counterOf, settled } from './testing/settled.ts';

const runnable = ebpfGate();

/** Waits for "go", then blocks 10 × 200 ms in timers and 1 × 300 ms in the stdin callback. */
const CHILD = `
const busy = (ms) => { const end = Date.now() + ms; while (Date.now() < end); };
process.stdin.once('data', () => {
  busy(300);
  let n = 0;
  const timer = setInterval(() => {
    busy(200);
    if (++n === 10) { clearInterval(timer); process.stdout.write('done\\n'); }
  }, 50);
});
setInterval(() => {}, 1000); // stays alive, idle, until killed
process.stdout.write('ready\\n');
`;
const BLOCKED_SECONDS = 10 * 0.2 + 0.3;

const children: ChildProcess[] = [];
let metrics: RuntimeMetrics | undefined;

function line(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(`${text}\n`)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`child exited with ${code} before printing ${text}`)));
  });
}

afterAll(async () => {
  await metrics?.stop();
  for (const child of children) child.kill('SIGKILL');
});

describe.runIf(runnable)('Node.js event-loop blocked time with real uprobes', () => {
  it('counts busy-waits in timers and I/O callbacks within 20% of their length', async () => {
    const child = spawn(process.execPath, ['-e', CHILD], { stdio: ['pipe', 'pipe', 'inherit'] });
    children.push(child);
    await line(child, 'ready');
    const container = '/test/nodejs';
    metrics = new RuntimeMetrics({
      logger: pino({ level: 'silent' }),
      containers: () => [{ id: container, pids: [child.pid!] }],
      containerOf: (pid) => (pid === child.pid ? container : '/host/other'),
      uprobes: true,
      dumpSeconds: 1,
    });
    await metrics.start();
    expect(metrics.status().uprobesOff).toBeUndefined();
    await metrics.collect(); // finds /usr/bin/node (or wherever it is), attaches
    expect(metrics.status().nodejs).toMatchObject({ targets: 1, bpftrace: { attached: true } });

    const blockedAtStart = counterOf(metrics, 'container_nodejs', container);
    const done = line(child, 'done');
    child.stdin!.write('go\n');
    await done;
    const blocked =
      (await settled(() => counterOf(metrics!, 'container_nodejs', container))) - blockedAtStart;
    process.stdout.write(`[nodejs] blocked ${blocked.toFixed(3)} s of ${BLOCKED_SECONDS} s busy-waited\n`);
    expect(blocked).toBeGreaterThan(BLOCKED_SECONDS * 0.8);
    expect(blocked).toBeLessThan(BLOCKED_SECONDS * 1.2);

    const family = metrics
      .families((id) => ({ container_id: id }))
      .find((f) => f.name === 'container_nodejs_event_loop_blocked_time_seconds_total');
    expect(family?.type).toBe('counter');
    // Other node processes on the machine (this test runner among them) are counted under theirs.
    expect(family?.samples.map((s) => s.labels)).toContainEqual({ container_id: container });
  }, 60_000);
});

/**
 * Container logs end to end: the whole agent (eBPF off, 1 s interval) pushes to a real Vigil
 * server (in-process, embedded chDB); a real Docker container prints known lines (a Java stack
 * trace, JSON lines, plain error lines) and a host process writes a file under /var/log that is
 * rotated (rename + reopen) and truncated (copytruncate). The records are read back through the
 * server's logs API and must be exactly the expected ones, with their levels and pattern hashes;
 * the agent's `container_log_messages_total` must count them by pattern.
 *
 * journald: followed only where it runs; this suite says why it skips that part otherwise.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, mkdirSync, renameSync, rmSync, truncateSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import type { MetricFamily } from '@vigil/agent-kit';
import type { LogView } from '@vigil/spec';
import {
  dockerAvailable,
  dockerCli,
  ensureBusyboxImage,
  makeTempDir,
  removeTestContainers,
  runContainer,
  serviceGate,
} from '@vigil/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeAgent, type RunningNodeAgent } from '../agent.ts';
import { journaldUnavailable } from './discovery/journald-availability.ts';
import { INGEST_KEY, startVigilServer, type VigilServer } from './testing/vigil-server.ts';

const runnable =
  serviceGate('root', process.getuid?.() === 0, 'run as root (reads /proc/<pid>/fd of every process)') &&
  serviceGate(
    'Docker',
    await dockerAvailable(),
    'start dockerd --bridge=none --iptables=false --ip-masq=false',
  );

const tag = `logs-${process.pid}`;
let server: VigilServer;
let agent: RunningNodeAgent;
let spool: { dir: string; cleanup: () => void };

beforeAll(async () => {
  if (!runnable) return;
  await ensureBusyboxImage();
  server = await startVigilServer();
  spool = makeTempDir('vigil-logs-agent-');
  agent = await startNodeAgent({
    listen: { host: '127.0.0.1', port: 0 },
    scrapeIntervalMs: 1000,
    ebpf: false,
    push: {
      collectorUrl: server.url,
      apiKey: INGEST_KEY,
      spoolDir: path.join(spool.dir, 'spool'),
      backoff: { initialMs: 200, maxMs: 1000 },
    },
  });
});

afterAll(async () => {
  if (!runnable) return;
  await agent?.stop();
  await removeTestContainers();
  await server?.stop();
  spool?.cleanup();
});

async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Waits for the agent to follow `source` of `containerId`. */
function followed(containerId: string, source: string): Promise<true> {
  return until(`the agent to follow ${source} of ${containerId}`, async () => {
    await agent.collectOnce();
    return agent.logs?.sources().some((s) => s.containerId === containerId && s.source === source)
      ? true
      : undefined;
  });
}

/** Waits until the server returns exactly `count` records for the query, then returns them. */
async function records(query: string, count: number): Promise<LogView[]> {
  let last: LogView[] = [];
  try {
    return await until(`${count} records for ${query}`, async () => {
      await agent.logs?.flush();
      await server.server.forceFlush();
      last = (await server.getJson<{ logs: LogView[] }>(`/api/v1/logs?${query}&limit=1000`)).logs;
      return last.length >= count ? last : undefined;
    });
  } catch (err) {
    throw new Error(
      `${(err as Error).message}; got ${JSON.stringify(last.map((l) => l.body))}; agent: ${JSON.stringify(agent.logs?.status())} ${JSON.stringify(agent.logs?.sources())}`,
      { cause: err },
    );
  }
}

const byTime = (a: LogView, b: LogView): number =>
  a.timestampUnixNano === b.timestampUnixNano
    ? a.body.localeCompare(b.body)
    : BigInt(a.timestampUnixNano) < BigInt(b.timestampUnixNano)
      ? -1
      : 1;

function logCounts(families: MetricFamily[], containerId: string): Record<string, number> {
  const out: Record<string, number> = {};
  const family = families.find((f) => f.name === 'container_log_messages_total');
  for (const s of family?.samples ?? []) {
    if (s.labels.container_id !== containerId) continue;
    out[`${s.labels.source}|${s.labels.level}|${s.labels.pattern_hash}`] = s.value;
  }
  return out;
}

function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const JAVA_TRACE = [
  '2026-01-02 10:00:00.000 ERROR [main] com.acme.OrderService - order 1234 failed',
  'java.lang.IllegalStateException: stock is negative',
  '\tat com.acme.OrderService.place(OrderService.java:42)',
  '\tat com.acme.Main.main(Main.java:7)',
  'Caused by: java.io.IOException: connection reset',
  '\t... 2 more',
];
const INFO_LINE = '2026-01-02 10:00:01.000 INFO [main] com.acme.OrderService - order 1235 placed';
const jsonLine = (user: number): string =>
  JSON.stringify({
    level: 'warn',
    msg: `cache miss for key user:${user}`,
    trace_id: TRACE_ID,
    span_id: SPAN_ID,
    user,
  });

describe.runIf(runnable)('container logs end to end through the server', () => {
  it('turns a Docker container’s stdout and stderr into exactly the expected records and pattern counts', async () => {
    const name = `${tag}-app`;
    const containerId = `/docker/${name}`;
    const stdout = [...JAVA_TRACE, INFO_LINE].join('\n');
    const stderr = [
      jsonLine(42),
      jsonLine(43),
      'ERROR cannot connect to db at 127.0.0.1:5999',
      'ERROR cannot connect to db at 127.0.0.1:6000',
      'DEBUG cache warmed in 35 ms',
    ].join('\n');
    // The agent starts at the end of a log, so the container prints only once it is followed.
    await runContainer({
      name,
      env: { OUT: stdout, ERR: stderr },
      cmd: [
        'sh',
        '-c',
        'while [ ! -e /tmp/go ]; do sleep 0.1; done; printf "%s\\n" "$OUT"; printf "%s\\n" "$ERR" >&2; sleep 300',
      ],
    });
    await followed(containerId, 'stdout/stderr');
    await dockerCli(['exec', name, 'touch', '/tmp/go']);

    const logs = (await records(`service=${encodeURIComponent(containerId)}`, 7)).sort(byTime);
    expect(logs).toHaveLength(7);
    const stdoutLogs = logs.filter((l) => l.attributes['log.iostream'] === 'stdout');
    const stderrLogs = logs.filter((l) => l.attributes['log.iostream'] === 'stderr');
    expect(stdoutLogs.map((l) => [l.severityText, l.body])).toEqual([
      ['error', JAVA_TRACE.join('\n')],
      ['info', INFO_LINE],
    ]);
    // Docker may stamp lines written at once with one time: compare stderr in body order.
    const stderrByBody = [...stderrLogs].sort((a, b) => (a.body < b.body ? -1 : 1));
    expect(stderrByBody.map((l) => [l.severityText, l.body])).toEqual([
      ['debug', 'DEBUG cache warmed in 35 ms'],
      ['error', 'ERROR cannot connect to db at 127.0.0.1:5999'],
      ['error', 'ERROR cannot connect to db at 127.0.0.1:6000'],
      ['warning', 'cache miss for key user:42'],
      ['warning', 'cache miss for key user:43'],
    ]);
    for (const log of logs) {
      expect(log.serviceName).toBe(containerId);
      expect(log.resourceAttributes).toMatchObject({
        'service.name': containerId,
        'container.id': containerId,
        'host.name': hostname(),
      });
    }
    const [trace, info] = stdoutLogs as [LogView, LogView];
    const [debug, conn1, conn2, miss42, miss43] = stderrByBody as [
      LogView,
      LogView,
      LogView,
      LogView,
      LogView,
    ];
    expect(miss42).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, severityNumber: 13 });
    expect(miss42.attributes.user).toBe('42');
    expect(trace.severityNumber).toBe(17);
    const hash = (l: LogView): string | undefined => l.attributes['pattern.hash'];
    expect(hash(info)).toBeUndefined();
    expect(hash(debug)).toBeUndefined();
    expect(hash(miss42)).toMatch(/^[0-9a-f]{16}$/);
    expect(hash(miss43)).toBe(hash(miss42));
    expect(hash(conn2)).toBe(hash(conn1));
    expect(new Set([hash(trace), hash(miss42), hash(conn1)]).size).toBe(3);

    const expected = {
      [`stdout/stderr|error|${hash(trace)}`]: 1,
      'stdout/stderr|info|': 1,
      [`stdout/stderr|warning|${hash(miss42)}`]: 2,
      [`stdout/stderr|error|${hash(conn1)}`]: 2,
      'stdout/stderr|debug|': 1,
    };
    expect(logCounts(await agent.collectOnce(), containerId)).toEqual(expected);
    const traceSample = (await agent.collectOnce())
      .find((f) => f.name === 'container_log_messages_total')
      ?.samples.find((s) => s.labels.pattern_hash === hash(trace))?.labels.sample;
    expect(traceSample).toBe(JAVA_TRACE.join('\n'));

    // The same counts, remote-written by the agent, through the server's Prometheus API.
    const selector = encodeURIComponent(`container_log_messages_total{container_id="${containerId}"}`);
    type Vector = { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
    const fromServer = await until('the counts in the server', async () => {
      await agent.collectOnce();
      await server.server.forceFlush();
      const body = await server.getJson<Vector>(`/api/v1/query?query=${selector}`);
      const out: Record<string, number> = {};
      for (const r of body.data.result) {
        out[`${r.metric.source}|${r.metric.level}|${r.metric.pattern_hash ?? ''}`] = Number(r.value[1]);
      }
      return JSON.stringify(sortKeys(out)) === JSON.stringify(sortKeys(expected)) ? out : undefined;
    });
    expect(fromServer).toEqual(expected);
  });

  it(
    'follows a host process’s file under /var/log through rename rotation and copytruncate',
    { timeout: 150_000 },
    async () => {
      const dir = `/var/log/vigil-logs-test-${process.pid}`;
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, 'app.log');
      let writer: ChildProcessWithoutNullStreams | undefined;
      try {
        // Appends each stdin line to the file through one fd, as a logger does; REOPEN reopens it.
        writer = spawn('sh', [
          '-c',
          'exec 3>>"$0"; while IFS= read -r line; do if [ "$line" = REOPEN ]; then exec 3>>"$0"; else printf "%s\\n" "$line" >&3; fi; done',
          file,
        ]);
        const write = (line: string): void => void writer!.stdin.write(`${line}\n`);
        const query = `attr.log.file.path=${encodeURIComponent(file)}`;
        const ts = (s: number): string => `2026-01-02 10:00:0${s}`;
        const containerId = await until('the writer in the registry', async () => {
          await agent.collectOnce();
          return agent.logs?.sources().find((s) => s.source === file)?.containerId;
        });

        write(`${ts(0)} ERROR disk /dev/sda1 is 91% full`);
        write(`${ts(1)} INFO rotated nothing yet`);
        await records(query, 2);
        renameSync(file, `${file}.1`);
        write(`${ts(2)} WARN still writing to the renamed file`);
        write('REOPEN');
        const long = `${ts(3)} ERROR disk /dev/sdb1 is 95% full ${'x'.repeat(300)}`;
        write(long);
        await records(query, 4);
        copyFileSync(file, `${file}.2`);
        truncateSync(file, 0);
        write(`${ts(4)} ERROR disk /dev/sdc1 is 99% full`);

        const logs = (await records(query, 5)).sort(byTime);
        // Nothing read twice after the truncation, nothing lost across the rotation.
        await new Promise((r) => setTimeout(r, 1500));
        const again = await records(query, 5);
        expect(again).toHaveLength(5);
        expect(logs.map((l) => [l.severityText, l.body])).toEqual([
          ['error', `${ts(0)} ERROR disk /dev/sda1 is 91% full`],
          ['info', `${ts(1)} INFO rotated nothing yet`],
          ['warning', `${ts(2)} WARN still writing to the renamed file`],
          ['error', long],
          ['error', `${ts(4)} ERROR disk /dev/sdc1 is 99% full`],
        ]);
        const hashes = logs.map((l) => l.attributes['pattern.hash']);
        expect(hashes[1]).toBeUndefined();
        expect(hashes[4]).toBe(hashes[0]);
        expect(new Set([hashes[0], hashes[2], hashes[3]]).size).toBe(3);
        expect(logs[0]!.resourceAttributes['container.id']).toBe(containerId);

        const counts = logCounts(await agent.collectOnce(), containerId);
        expect(counts).toMatchObject({
          [`${file}|error|${hashes[0]}`]: 2,
          [`${file}|info|`]: 1,
          [`${file}|warning|${hashes[2]}`]: 1,
          [`${file}|error|${hashes[3]}`]: 1,
        });
      } finally {
        writer?.stdin.end();
        writer?.kill();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('follows journald entries of a systemd service where journald runs', async (ctx) => {
    const reason = await journaldUnavailable();
    if (reason !== undefined) {
      process.stdout.write(`[skip] journald part: ${reason}\n`);
      ctx.skip();
      return;
    }
    const unit = `vigil-logs-test-${process.pid}`;
    const containerId = `/system.slice/${unit}.service`;
    const run = (args: string[]): Promise<number | null> =>
      new Promise((resolve) => spawn(args[0]!, args.slice(1), { stdio: 'ignore' }).on('close', resolve));
    await run([
      'systemd-run',
      `--unit=${unit}`,
      'sh',
      '-c',
      'while [ ! -e /tmp/' +
        unit +
        ' ]; do sleep 0.1; done; echo "ERROR job 7 failed" | systemd-cat -p err; echo "all fine" | systemd-cat -p info; sleep 60',
    ]);
    try {
      await followed(containerId, 'journald');
      await run(['touch', `/tmp/${unit}`]);
      const logs = (await records(`service=${encodeURIComponent(containerId)}`, 2)).sort(byTime);
      expect(logs.map((l) => [l.severityText, l.body])).toEqual([
        ['error', 'ERROR job 7 failed'],
        ['info', 'all fine'],
      ]);
    } finally {
      await run(['systemctl', 'stop', `${unit}.service`]);
      rmSync(`/tmp/${unit}`, { force: true });
    }
  });
});

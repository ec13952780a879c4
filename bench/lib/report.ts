/**
 * The ingest benchmark's result record (also written as JSON) and its printed report: each
 * figure next to its goal, then the CPU accounting that tells whether the machine was shared.
 */
import { cpus, loadavg, release, totalmem } from 'node:os';
import { formatProfileSummary, type ProfileSummary } from './cpu-profile.ts';
import type { EngineResult } from './engine-reference.ts';
import type { SendResult } from './load-sender.ts';
import type { ServerSamples } from './server-sampler.ts';
import type { SignalSpec, WorkloadParams } from './workload.ts';

/** Goals from the ingest milestone; the CPU goal per million items is per signal (SignalSpec). */
export const GOALS = { otlpToEngineRatio: 0.5, serverRssBytes: 2 ** 30 } as const;

export interface MachineFacts {
  cores: number;
  cpuModel: string;
  memoryBytes: number;
  node: string;
  kernel: string;
  /** 1/5/15-minute load average when the run started: above ~0.2 the machine was not idle. */
  loadAverageAtStart: number[];
}

export function machineFacts(): MachineFacts {
  const cores = cpus();
  return {
    cores: cores.length,
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    memoryBytes: totalmem(),
    node: process.version,
    kernel: release(),
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** Command-line options of an ingest benchmark run. */
export interface BenchOptions {
  seconds: number;
  senders: number;
  bodies: number;
  itemsPerBody: number;
  engineSeconds: number;
  skipEngine: boolean;
  profile: boolean;
  keepData: boolean;
  /** Extra node flags for the server child. */
  serverNodeArgs: string[];
}

export interface BenchResult {
  name: string;
  date: string;
  machine: MachineFacts;
  options: BenchOptions;
  /** VIGIL_BATCH_*, VIGIL_BUFFER_*, VIGIL_MAX_* from the environment; empty = server defaults. */
  serverSettings: Record<string, string | undefined>;
  batchItems: number;
  workload: WorkloadParams & {
    distinctItems: number;
    bytesPerBody: number;
    encodeSeconds: number;
    checkedBodies: number;
  };
  spec: SignalSpec;
  send: SendResult;
  drainSeconds: number;
  /** Send time + drain time: the denominator of itemsPerSecond. */
  wallSeconds: number;
  itemsPerSecond: number;
  server: {
    cpuSeconds: number;
    cpuSecondsPerMillion: number;
    /** CPU-seconds per thread name over the run (live threads only). */
    threads: Array<[string, number]>;
    peakRssBytes: number;
    rssBytes: number;
    /** Peaks seen by sampling every 2 s during send + drain. */
    samples: ServerSamples;
    stop: { code: number | null; killed: boolean; stopMs: number };
    batches: number;
    meanBatchItems: number;
    /** Sum of batch insert durations: how long the single insert loop was busy. */
    insertSeconds: number;
    lastLines: string[];
  };
  bench: { cpuSeconds: number; sendCpuSeconds: number };
  machineBusyCpuSeconds: number;
  storedRows: number;
  engine: EngineResult | undefined;
  profile: ProfileSummary | undefined;
  profileFile: string | undefined;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const f1 = (n: number): string => n.toFixed(1);
const mib = (bytes: number): string => `${int(bytes / 2 ** 20)} MiB`;
const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;
const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED');

function row(label: string, value: string, goal = '', ok?: boolean): string {
  const mark = ok === undefined ? '' : `  ${verdict(ok)}`;
  return `${label.padEnd(36)}${value.padEnd(30)}${goal}${mark}`;
}

export function printReport(r: BenchResult): void {
  const m = r.machine;
  const s = r.send;
  const items = r.spec.items;
  const out: string[] = [];
  out.push(
    '',
    `## ${r.name}  (${r.date})`,
    `machine   ${m.cores} cores (${m.cpuModel}), ${f1(m.memoryBytes / 2 ** 30)} GiB, node ${m.node}, linux ${m.kernel}; load average at start ${m.loadAverageAtStart.join(' ')}`,
    `workload  ${r.workload.bodies} distinct OTLP/protobuf bodies x ${r.workload.itemsPerBody} ${items} (${int(r.workload.distinctItems)} distinct), ` +
      `${int(r.workload.bytesPerBody / 1024)} KiB/body; round trip checked on ${r.workload.checkedBodies} bodies`,
    `run       ${r.options.senders} keep-alive senders for ${r.options.seconds} s, then drain; server settings ` +
      `${Object.keys(r.serverSettings).length > 0 ? JSON.stringify(r.serverSettings) : 'default'} (batch ${int(r.batchItems)} items)` +
      (r.options.serverNodeArgs.length > 0 ? `; server node ${r.options.serverNodeArgs.join(' ')}` : '') +
      (r.profile ? '\n          SERVER UNDER --cpu-prof: figures include profiler overhead' : ''),
    '',
    row('figure', 'value', 'goal'),
    row(`OTLP ingest rate`, `${int(r.itemsPerSecond)} ${items}/s`),
    `    ${int(s.acknowledgedItems)} acknowledged in ${int(s.acknowledgedRequests)} requests; send ${f1(s.elapsedMs / 1000)} s + drain ${f1(r.drainSeconds)} s; ` +
      `latency p50 ${int(s.latencyMs.p50)} ms, p99 ${int(s.latencyMs.p99)} ms`,
    row(
      `server CPU per million ${items}`,
      `${f1(r.server.cpuSecondsPerMillion)} CPU-s`,
      `<= ${r.spec.goalCpuSecondsPerMillion}`,
      r.server.cpuSecondsPerMillion <= r.spec.goalCpuSecondsPerMillion,
    ),
    row(
      'server peak RSS (VmHWM)',
      mib(r.server.peakRssBytes),
      `<= ${mib(GOALS.serverRssBytes)}`,
      r.server.peakRssBytes <= GOALS.serverRssBytes,
    ),
    `    sampled every 2 s: RSS up to ${mib(r.server.samples.peakRssBytes)}, JS heap used up to ${mib(r.server.samples.peakHeapUsedBytes)} ` +
      `(heap total ${mib(r.server.samples.peakHeapTotalBytes)}, external ${mib(r.server.samples.peakExternalBytes)}), write buffer up to ${int(r.server.samples.peakQueueItems)} ${items}`,
    row(
      '429 answers',
      `${int(s.status429)} (waited ${f1(s.retryWaitMs / 1000)} s)`,
      `given up: ${s.bodiesGivenUp} bodies; senders ended waiting: ${s.endedWaiting}`,
    ),
    row(
      'stored rows (count() after stop)',
      int(r.storedRows),
      `= acknowledged ${int(s.acknowledgedItems)}`,
      r.storedRows === s.acknowledgedItems,
    ),
  );
  if (Object.keys(s.failures).length > 0)
    out.push(`    FAILED REQUESTS: ${JSON.stringify(s.failures)}; first: ${s.firstFailure}`);
  if (r.storedRows !== s.acknowledgedItems) {
    out.push(
      `    !!! MISMATCH: ${int(r.storedRows)} rows stored, ${int(s.acknowledgedItems)} acknowledged (difference ${int(r.storedRows - s.acknowledgedItems)}) !!!`,
    );
  }
  if (r.server.stop.code !== 0)
    out.push(
      `    !!! server exited with code ${r.server.stop.code}${r.server.stop.killed ? ' (killed)' : ''} !!!`,
    );
  const e = r.engine;
  if (e) {
    out.push(
      row(
        'engine Native insert (same rows)',
        `${int(e.native.rowsPerSecond)} rows/s`,
        `${f1(e.native.cpuSecondsPerMillion)} CPU-s per million`,
      ),
      row(
        'OTLP / engine Native',
        pct(r.itemsPerSecond / e.native.rowsPerSecond),
        `>= ${pct(GOALS.otlpToEngineRatio)}`,
        r.itemsPerSecond / e.native.rowsPerSecond >= GOALS.otlpToEngineRatio,
      ),
      row(
        'reference: TSV encode + insertRaw',
        `${int(e.tsv.rowsPerSecond)} rows/s`,
        `${f1(e.tsv.cpuSecondsPerMillion)} CPU-s per million, encode ${pct(e.tsv.encodeSeconds / e.tsv.seconds)} of time`,
      ),
      row('OTLP / TSV path', pct(r.itemsPerSecond / e.tsv.rowsPerSecond)),
      `    engine phases: Native ${int(e.native.rows)} rows in ${f1(e.native.seconds)} s (${int(e.native.bytesPerRow)} B/row), ` +
        `TSV ${int(e.tsv.rows)} rows in ${f1(e.tsv.seconds)} s (${int(e.tsv.bytesPerRow)} B/row); engine process peak RSS ${mib(e.peakRssBytes)}`,
      `    other processes kept ${pct(e.native.othersShare)} (Native) and ${pct(e.tsv.othersShare)} (TSV) of the cores busy meanwhile; ` +
        'the ratios compare rates taken at different times, so both sides need an idle machine',
    );
  } else {
    out.push(row('engine Native insert', 'skipped (--skip-engine)'));
  }

  const available = m.cores * r.wallSeconds;
  const other = Math.max(0, r.machineBusyCpuSeconds - r.server.cpuSeconds - r.bench.cpuSeconds);
  out.push(
    '',
    `CPU during send + drain (${f1(r.wallSeconds)} s x ${m.cores} cores = ${f1(available)} CPU-s available; machine busy ${f1(r.machineBusyCpuSeconds)}):`,
    `  server ${f1(r.server.cpuSeconds)} CPU-s (${pct(r.server.cpuSeconds / available)}), bench sender ${f1(r.bench.cpuSeconds)} CPU-s (${pct(r.bench.cpuSeconds / available)}), ` +
      `everything else ${f1(other)} CPU-s (${pct(other / available)})` +
      (other / available > 0.1
        ? '  <-- other processes were busy: rerun on an idle machine for the record'
        : ''),
    `  server threads: ${r.server.threads
      .slice(0, 8)
      .map(([n, c]) => `${n} ${f1(c)}`)
      .join(', ')}`,
    `  inserts: ${int(r.server.batches)} batches of ${int(r.server.meanBatchItems)} ${items} on average; insert loop busy ${f1(r.server.insertSeconds)} s ` +
      `of ${f1(r.wallSeconds)} s (${pct(r.server.insertSeconds / r.wallSeconds)})`,
  );
  if (r.profile)
    out.push(
      '',
      'server CPU profile (JS main thread, send + drain window):',
      formatProfileSummary(r.profile),
    );
  if (r.server.lastLines.length > 0)
    out.push('', 'last server output:', ...r.server.lastLines.map((l) => `  ${l.slice(0, 300)}`));
  process.stdout.write(`${out.join('\n')}\n`);
}

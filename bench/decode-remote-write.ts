/**
 * CPU per sample of the Prometheus remote write decoders alone (no HTTP, no storage), 1.0
 * (`prometheus.WriteRequest`) and 2.0 (`io.prometheus.write.v2.Request`), and of the snappy
 * decompression in front of them. The data looks like one node agent's scrape: 100k series of
 * one sample each, 10 labels (metric name, container id, destinations, node identity), sent in
 * requests of 2000 series (Prometheus's default max_samples_per_send). Each round decodes every
 * body 5 times; the first round includes JIT warm-up. Each version runs in its own process, so
 * neither pays for the other's garbage collection. Target: 1M samples/s on one core, i.e.
 * under 1 µs of CPU per sample.
 * Run: node --import tsx bench/decode-remote-write.ts [--series N] [--only 1.0|2.0]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compressSync } from 'snappy';
import {
  decodeRemoteWrite1,
  decodeRemoteWrite2,
  decompressSnappyBlock,
  encodeRemoteWrite1,
  encodeRemoteWrite2,
  type Label,
  type MetricsBatch,
  type RemoteWriteSeriesInput,
} from '@vigil/protocols';
import { describeMachine, machineInfo } from './lib/machine-info.ts';

const { values: args } = parseArgs({
  options: { series: { type: 'string', default: '100000' }, only: { type: 'string' } },
});
const SERIES = Number(args.series);
const PER_REQUEST = 2000;
const ROUNDS = 4;
const REPEATS = 5;

/** A deterministic PRNG (mulberry32), so every run decodes the same bodies. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const METRICS = [
  'container_cpu_usage_seconds_total',
  'container_cpu_delay_seconds_total',
  'container_memory_rss',
  'container_memory_cache',
  'container_oom_kills_total',
  'container_net_tcp_successful_connects_total',
  'container_net_tcp_failed_connects_total',
  'container_net_tcp_active_connections',
  'container_net_tcp_connection_time_seconds_total',
  'container_net_tcp_bytes_sent_total',
  'container_net_tcp_bytes_received_total',
  'container_net_tcp_retransmits_total',
  'container_net_latency_seconds',
  'container_http_requests_total',
  'container_http_requests_duration_seconds_total',
  'container_postgres_queries_total',
  'container_redis_queries_total',
  'container_dns_requests_total',
  'container_log_messages_total',
  'container_application_type',
];

function nodeAgentSeries(count: number, nowMs: number): RemoteWriteSeriesInput[] {
  const rand = random(42);
  const hex = (n: number): string =>
    Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
  const containers = Array.from({ length: 300 }, (_, i) => {
    const app = `app-${i % 60}`;
    return `/k8s/namespace-${i % 12}/${app}-${hex(10)}-${hex(5)}/${app}`;
  });
  const destinations = Array.from(
    { length: 800 },
    () =>
      `10.${Math.floor(rand() * 4)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}:${[80, 443, 5432, 6379, 8080][Math.floor(rand() * 5)]}`,
  );
  const machineId = hex(32);
  const systemUuid = `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
  const out: RemoteWriteSeriesInput[] = [];
  for (let i = 0; i < count; i++) {
    const destination = destinations[i % destinations.length]!;
    // Sorted by name, as remote write senders send them.
    const labels: Label[] = [
      { name: '__name__', value: METRICS[i % METRICS.length]! },
      { name: 'actual_destination', value: destination },
      { name: 'az', value: 'eu-west-1b' },
      { name: 'container_id', value: containers[Math.floor(i / 7) % containers.length]! },
      { name: 'destination', value: destination },
      { name: 'instance', value: 'ip-10-0-12-34.eu-west-1.compute.internal' },
      { name: 'job', value: 'coroot-node-agent' },
      { name: 'machine_id', value: machineId },
      { name: 'region', value: 'eu-west-1' },
      { name: 'system_uuid', value: systemUuid },
    ];
    out.push({ labels, timestampsMs: [nowMs - (i % 15_000)], values: [Math.floor(rand() * 1e6) / 100] });
  }
  return out;
}

if (args.only === undefined) {
  console.log(`# decode-remote-write on ${describeMachine(machineInfo())}`);
  for (const only of ['1.0', '2.0']) {
    const script = fileURLToPath(import.meta.url);
    const run = spawnSync(
      process.execPath,
      [...process.execArgv, script, '--series', String(SERIES), '--only', only],
      {
        stdio: 'inherit',
      },
    );
    if (run.status !== 0) process.exit(run.status ?? 1);
  }
  process.exit(0);
}

const series = nodeAgentSeries(SERIES, Date.now());
const chunks: RemoteWriteSeriesInput[][] = [];
for (let i = 0; i < series.length; i += PER_REQUEST) chunks.push(series.slice(i, i + PER_REQUEST));

const encodeStart = process.hrtime.bigint();
// Encoding both is cheap next to decoding and keeps one code path for the two versions.
const cases = [
  {
    name: 'remote write 1.0',
    bodies: chunks.map((c) => encodeRemoteWrite1({ series: c })),
    decode: decodeRemoteWrite1,
  },
  {
    name: 'remote write 2.0',
    bodies: chunks.map((c) => encodeRemoteWrite2({ series: c })),
    decode: decodeRemoteWrite2,
  },
];
const encodeMs = Number(process.hrtime.bigint() - encodeStart) / 1e6;
console.log(`encoded ${series.length} series in 1.0 and 2.0 in ${encodeMs.toFixed(0)} ms`);

const sampleCount = (batch: MetricsBatch): number => {
  let n = 0;
  for (const s of batch.series) n += s.values.length;
  return n;
};

for (const c of cases) {
  if (!c.name.endsWith(args.only)) continue;
  const raw = c.bodies.reduce((n, b) => n + b.length, 0);
  const compressed = c.bodies.map((b) => compressSync(b));
  const zipped = compressed.reduce((n, b) => n + b.length, 0);
  console.log(
    `${c.name}: ${c.bodies.length} bodies, ${(raw / series.length).toFixed(0)} bytes/sample raw, ` +
      `${(zipped / series.length).toFixed(1)} snappy`,
  );
  for (let round = 1; round <= ROUNDS; round++) {
    const cpuBefore = process.cpuUsage();
    const wallBefore = process.hrtime.bigint();
    let samples = 0;
    for (let k = 0; k < REPEATS; k++) for (const body of c.bodies) samples += sampleCount(c.decode(body));
    const wallNs = Number(process.hrtime.bigint() - wallBefore);
    const cpu = process.cpuUsage(cpuBefore);
    console.log(
      `  decode     round ${round}: ${(wallNs / samples).toFixed(0)} ns/sample wall, ` +
        `${((cpu.user + cpu.system) / samples).toFixed(3)} µs CPU/sample (${samples} samples)`,
    );
  }
  const cpuBefore = process.cpuUsage();
  let bytes = 0;
  for (let k = 0; k < REPEATS; k++)
    for (const body of compressed) bytes += decompressSnappyBlock(body, 64 << 20).length;
  const cpu = process.cpuUsage(cpuBefore);
  console.log(
    `  unsnappy          : ${((cpu.user + cpu.system) / (series.length * REPEATS)).toFixed(3)} µs CPU/sample ` +
      `(${(bytes / REPEATS / 2 ** 20).toFixed(1)} MiB out per pass)`,
  );
}

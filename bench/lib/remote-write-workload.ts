/**
 * The remote-write benchmark's data: `series` active series shaped like a fleet of node agents
 * (one agent per node, 50 containers per node, 100 series per container over 50 metric names,
 * about 10 labels each), one sample per series per pass, cut into requests of `seriesPerRequest`
 * series (Prometheus's default max_samples_per_send is 2000), in the order an agent sends them:
 * node by node, container by container.
 *
 * Every pass must carry new timestamps (Prometheus refuses a sample older than the newest of its
 * series with a 400) and realistic new values, but encoding 1M series of labels again for every
 * pass costs seconds. So each request is encoded once with `encodeRemoteWrite1`, and a pass is
 * made by patching the bytes of its samples in place and snappy-compressing the result:
 *
 *   TimeSeries { labels… , Sample { 0x09 value:fixed64, 0x10 timestamp:varint } }
 *                                        ^ 8 bytes             ^ 6 bytes
 *
 * A sample is the last field of its TimeSeries (no exemplars or histograms), its value is never
 * 0 (proto3 would omit it) and every timestamp between 2^35 and 2^42 ms (1971-2109) is a 6-byte
 * varint, so the layout is the same for every pass; it is checked when the offsets are taken,
 * and patched bodies are decoded back with the server's decoder. The compressed passes are made
 * before any clock starts (~0.5 s of CPU per million series per pass) and kept: the uncompressed
 * bodies once (~380 bytes a series) plus every pass compressed (~38 bytes a series).
 */
import { compressSync } from 'snappy';
import { decodeRemoteWrite1, decompressSnappyBlock, encodeRemoteWrite1, type Label } from '@vigil/protocols';
import { hash32 as hash } from './hash.ts';

export const SERIES_PER_CONTAINER = 100;
export const CONTAINERS_PER_NODE = 50;
export const SERIES_PER_NODE = SERIES_PER_CONTAINER * CONTAINERS_PER_NODE;
/** Prometheus's scrape interval between passes. */
export const PASS_INTERVAL_MS = 15_000;

type Kind = 'counter' | 'gauge';

/** 30 metrics with one series per container. */
const PLAIN: Array<[string, Kind]> = [
  ['container_cpu_usage_seconds_total', 'counter'],
  ['container_cpu_delay_seconds_total', 'counter'],
  ['container_throttled_time_seconds_total', 'counter'],
  ['container_cpu_limit_cores', 'gauge'],
  ['container_cpu_request_cores', 'gauge'],
  ['container_memory_rss', 'gauge'],
  ['container_memory_rss_for_trend', 'gauge'],
  ['container_memory_cache', 'gauge'],
  ['container_memory_limit_bytes', 'gauge'],
  ['container_memory_request_bytes', 'gauge'],
  ['container_oom_kills_total', 'counter'],
  ['container_restarts_total', 'counter'],
  ['container_info', 'gauge'],
  ['container_application_type', 'gauge'],
  ['container_log_messages_total', 'counter'],
  ['container_net_tcp_listen_info', 'gauge'],
  ['container_net_tcp_active_connections_total', 'gauge'],
  ['container_dns_requests_total', 'counter'],
  ['container_dns_requests_duration_seconds_total', 'counter'],
  ['container_jvm_info', 'gauge'],
  ['container_jvm_heap_size_bytes', 'gauge'],
  ['container_jvm_heap_used_bytes', 'gauge'],
  ['container_jvm_gc_time_seconds', 'counter'],
  ['container_jvm_safepoint_time_seconds', 'counter'],
  ['container_python_thread_lock_wait_time_seconds', 'counter'],
  ['container_resources_disk_delay_seconds_total', 'counter'],
  ['container_resources_disk_used_bytes', 'gauge'],
  ['container_resources_disk_size_bytes', 'gauge'],
  ['container_resources_io_read_bytes_total', 'counter'],
  ['container_resources_io_written_bytes_total', 'counter'],
];
/** 10 metrics with one series per destination (6 per container). */
const NETWORK: Array<[string, Kind]> = [
  ['container_net_tcp_successful_connects_total', 'counter'],
  ['container_net_tcp_failed_connects_total', 'counter'],
  ['container_net_tcp_active_connections', 'gauge'],
  ['container_net_tcp_connection_time_seconds_total', 'counter'],
  ['container_net_tcp_bytes_sent_total', 'counter'],
  ['container_net_tcp_bytes_received_total', 'counter'],
  ['container_net_tcp_retransmits_total', 'counter'],
  ['container_net_latency_seconds', 'gauge'],
  ['container_http_requests_total', 'counter'],
  ['container_http_requests_duration_seconds_total', 'counter'],
];
/** 10 metrics with one series per container and one protocol-specific label. */
const PROTOCOL: Array<[string, Kind, string, string]> = [
  ['container_postgres_queries_total', 'counter', 'query_type', 'select'],
  ['container_postgres_queries_duration_seconds_total', 'counter', 'query_type', 'select'],
  ['container_redis_queries_total', 'counter', 'command', 'GET'],
  ['container_redis_queries_duration_seconds_total', 'counter', 'command', 'GET'],
  ['container_mysql_queries_total', 'counter', 'query_type', 'update'],
  ['container_mongo_queries_total', 'counter', 'query_type', 'find'],
  ['container_kafka_requests_total', 'counter', 'request_type', 'produce'],
  ['container_memcached_queries_total', 'counter', 'command', 'get'],
  ['container_cassandra_queries_total', 'counter', 'query_type', 'select'],
  ['container_dubbo_requests_total', 'counter', 'status', 'ok'],
];
const DESTINATIONS_PER_CONTAINER = 6;
export const METRIC_NAMES = PLAIN.length + NETWORK.length + PROTOCOL.length;
const NAMESPACES = 20;
const APPS = 500;

const hex = (seed: number, digits: number): string => {
  let s = '';
  for (let i = 0; s.length < digits; i++)
    s += hash(seed * 31 + i)
      .toString(16)
      .padStart(8, '0');
  return s.slice(0, digits);
};

interface NodeLabels {
  node: string;
  instance: string;
  machineId: string;
  az: string;
}
const nodeLabels = (node: number): NodeLabels => ({
  node: `ip-10-1-${node >> 8}-${node & 255}.ec2.internal`,
  instance: `10.1.${node >> 8}.${node & 255}:80`,
  machineId: hex(node + 1_000_003, 32),
  az: `eu-west-1${'abc'[node % 3]}`,
});

/** The labels of series `i` (sorted by name, as senders send them), and whether it is a counter. */
function seriesLabels(i: number, n: NodeLabels): { labels: Label[]; kind: Kind } {
  const container = Math.floor(i / SERIES_PER_CONTAINER); // global container number
  const slot = i % SERIES_PER_CONTAINER;
  const app = hash(container) % APPS;
  const ns = `ns-${app % NAMESPACES}`;
  const appName = `app-${app}`;
  // The pod suffix is a bijection of the container number, so no two containers share an id.
  const pod = `${appName}-${hex(app + 7, 10)}-${(Math.imul(container, 0x9e3779b1) >>> 0).toString(36)}`;
  const base: Label[] = [
    { name: 'app_id', value: `${ns}:Deployment:${appName}` },
    { name: 'az', value: n.az },
    { name: 'container_id', value: `/k8s/${ns}/${pod}/${appName}` },
    { name: 'instance', value: n.instance },
    { name: 'job', value: 'coroot-node-agent' },
    { name: 'machine_id', value: n.machineId },
    { name: 'namespace', value: ns },
    { name: 'node', value: n.node },
  ];
  let name: string;
  let kind: Kind;
  const extra: Label[] = [];
  if (slot < PLAIN.length) {
    [name, kind] = PLAIN[slot]!;
  } else if (slot < PLAIN.length + NETWORK.length * DESTINATIONS_PER_CONTAINER) {
    const k = slot - PLAIN.length;
    [name, kind] = NETWORK[Math.floor(k / DESTINATIONS_PER_CONTAINER)]!;
    // Six distinct peers per container (613 * 5 < 4000), so no two series share a label set.
    const peer = (hash(container) + (k % DESTINATIONS_PER_CONTAINER) * 613) % 4000;
    const port = [80, 443, 5432, 6379, 8080, 9092][peer % 6]!;
    extra.push(
      { name: 'actual_destination', value: `10.2.${(peer * 7) & 255}.${peer & 255}:${port}` },
      { name: 'destination', value: `10.3.${peer >> 8}.${peer & 255}:${port}` },
    );
  } else {
    const [metric, k, labelName, labelValue] = PROTOCOL[slot - PLAIN.length - NETWORK.length * 6]!;
    name = metric;
    kind = k;
    extra.push({ name: labelName, value: labelValue });
  }
  const labels = [{ name: '__name__', value: name }, ...base, ...extra];
  labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { labels, kind };
}

/** Scrape-time offset of a node within the interval: targets are not scraped all at once. */
const nodeOffsetMs = (node: number): number => (hash(node + 77) % PASS_INTERVAL_MS) - PASS_INTERVAL_MS;

/** Sample value of series `i` in pass `p`: counters grow, gauges wander; never 0. */
function sampleValue(i: number, counter: boolean, p: number): number {
  const h = hash(i);
  if (counter) return 1 + (h % 1_000_000) + p * (1 + (h >>> 20));
  return (1 + (h % 100_000)) * (1 + 0.01 * ((p * 7 + (h & 7)) % 11));
}

export interface RequestTemplate {
  /** The uncompressed WriteRequest; its sample bytes are overwritten for every pass. */
  body: Buffer;
  firstSeries: number;
  /** Offset of each series' Sample message (18 bytes: tag, length, value, timestamp). */
  sampleOffsets: Int32Array;
}

export interface Workload {
  series: number;
  seriesPerRequest: number;
  templates: RequestTemplate[];
  /** 1 where series i is a counter. */
  counters: Uint8Array;
  /** Timestamp of pass 0 (ms); pass p is `PASS_INTERVAL_MS` later per pass, plus a node offset. */
  startMs: number;
  labelsPerSeries: number;
  uncompressedBytes: number;
}

/** Encodes every request once (timestamps and values of pass 0) and finds its sample bytes. */
export function buildWorkload(series: number, seriesPerRequest: number, startMs: number): Workload {
  if (startMs - PASS_INTERVAL_MS < 2 ** 35 || startMs > 2 ** 42 - 86_400_000 * 365)
    throw new Error('timestamps outside the 6-byte varint range');
  const templates: RequestTemplate[] = [];
  const counters = new Uint8Array(series);
  let labelCount = 0;
  let bytes = 0;
  let cachedNode = -1;
  let n = nodeLabels(0);
  for (let first = 0; first < series; first += seriesPerRequest) {
    const count = Math.min(seriesPerRequest, series - first);
    const input = [];
    for (let i = first; i < first + count; i++) {
      const node = Math.floor(i / SERIES_PER_NODE);
      if (node !== cachedNode) [cachedNode, n] = [node, nodeLabels(node)];
      const { labels, kind } = seriesLabels(i, n);
      counters[i] = kind === 'counter' ? 1 : 0;
      labelCount += labels.length;
      input.push({
        labels,
        timestampsMs: [startMs + nodeOffsetMs(node)],
        values: [sampleValue(i, kind === 'counter', 0)],
      });
    }
    const body = encodeRemoteWrite1({ series: input });
    templates.push({ body, firstSeries: first, sampleOffsets: sampleOffsets(body, count) });
    bytes += body.length;
  }
  return {
    series,
    seriesPerRequest,
    templates,
    counters,
    startMs,
    labelsPerSeries: labelCount / series,
    uncompressedBytes: bytes,
  };
}

function readVarint(buf: Buffer, pos: number): [value: number, next: number] {
  let value = 0;
  let shift = 1;
  for (;;) {
    const b = buf[pos++]!;
    value += (b & 0x7f) * shift;
    if (b < 0x80) return [value, pos];
    shift *= 128;
  }
}

/** Walks the top-level `timeseries` fields and checks each ends in an 18-byte Sample. */
function sampleOffsets(body: Buffer, count: number): Int32Array {
  const out = new Int32Array(count);
  let pos = 0;
  for (let k = 0; k < count; k++) {
    if (body[pos] !== 0x0a) throw new Error(`series ${k}: expected a timeseries field at ${pos}`);
    const [length, start] = readVarint(body, pos + 1);
    const end = start + length;
    const at = end - 18;
    // Sample: tag 2/LEN, length 16, tag 1/I64 + 8 bytes, tag 2/VARINT + 6 bytes.
    if (body[at] !== 0x12 || body[at + 1] !== 16 || body[at + 2] !== 0x09 || body[at + 11] !== 0x10)
      throw new Error(`series ${k}: the sample is not the expected 18 bytes at ${at}`);
    out[k] = at;
    pos = end;
  }
  if (pos !== body.length) throw new Error('body longer than its series');
  return out;
}

function writeVarint6(buf: Buffer, pos: number, value: number): void {
  for (let k = 0; k < 5; k++) {
    buf[pos + k] = (value % 128) | 0x80;
    value = Math.floor(value / 128);
  }
  if (value >= 128) throw new Error('timestamp needs more than 6 varint bytes');
  buf[pos + 5] = value;
}

export function passTimestamp(w: Workload, pass: number, series: number): number {
  return w.startMs + pass * PASS_INTERVAL_MS + nodeOffsetMs(Math.floor(series / SERIES_PER_NODE));
}

/** Writes pass `pass`'s samples into the template's body. */
function patch(w: Workload, t: RequestTemplate, pass: number): void {
  const { body, sampleOffsets: offsets, firstSeries } = t;
  for (let k = 0; k < offsets.length; k++) {
    const i = firstSeries + k;
    const at = offsets[k]!;
    body.writeDoubleLE(sampleValue(i, w.counters[i] === 1, pass), at + 3);
    writeVarint6(body, at + 12, passTimestamp(w, pass, i));
  }
}

/**
 * One pass: every request, patched for `pass` and snappy-compressed. The compressor's output
 * buffers hold about as much native memory as the input until their finalizers run, which only
 * happens between event-loop turns, so the loop yields now and then and keeps exact-size copies
 * (without that, RSS grew by ~1 MB per request).
 */
export async function compressPass(w: Workload, pass: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const t of w.templates) {
    patch(w, t, pass);
    out.push(Buffer.from(compressSync(t.body)));
    if (out.length % 16 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

/**
 * Decodes request `r` of a compressed pass with the server's decoder and compares every sample
 * with what the pass should carry. Throws on a difference: a benchmark of wrong bytes measures
 * nothing.
 */
export function checkPassRequest(w: Workload, pass: number, r: number, compressed: Buffer): void {
  const t = w.templates[r]!;
  const batch = decodeRemoteWrite1(decompressSnappyBlock(compressed, 64 << 20));
  if (batch.series.length !== t.sampleOffsets.length)
    throw new Error(`pass ${pass} request ${r}: ${batch.series.length} series decoded`);
  batch.series.forEach((s, k) => {
    const i = t.firstSeries + k;
    const ts = passTimestamp(w, pass, i);
    const v = sampleValue(i, w.counters[i] === 1, pass);
    if (s.timestampsMs.length !== 1 || s.timestampsMs[0] !== ts || s.values[0] !== v)
      throw new Error(
        `pass ${pass} request ${r} series ${k}: decoded ${s.timestampsMs[0]}=${s.values[0]}, want ${ts}=${v}`,
      );
  });
}

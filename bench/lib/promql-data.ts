/**
 * The PromQL benchmark's data set, deterministic, so Vigil and Prometheus get the same samples:
 * `instances` scrape targets (100 by default, 5 jobs) of 100 series each, one sample every 15 s
 * for 24 h (5760 per series; 10k series = 57.6M samples), each target at its own offset within
 * the scrape interval. Per target:
 *
 *   http_requests_total{handler (5), status (4)}                     20 counters
 *   http_request_duration_seconds_bucket{handler (5), le (11)}       55 counters  \ a classic
 *   http_request_duration_seconds_sum / _count{handler (5)}          10 counters  / histogram
 *   node_cpu_seconds_total{cpu (2), mode (4)}                         8 counters (0.01 s ticks)
 *   process_resident_memory_bytes                                     1 gauge (page multiples)
 *   queue_depth{queue (6)}                                            6 gauges (integers)
 *
 * Traffic follows a daily curve with per-series phases and some noise; counters only grow. Every
 * value is an integer or a short decimal, so the OpenMetrics text for promtool carries each one
 * exactly (JS prints the shortest string that reads back as the same double, as Go does).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Label, MetricSeries } from '@vigil/protocols';
import { hash32 as hash } from './hash.ts';

export const STEP_MS = 15_000;
export const DAY_MS = 86_400_000;
export const SERIES_PER_INSTANCE = 100;
export const JOBS = 5;

const HANDLERS = ['/api/orders', '/api/users', '/api/search', '/api/cart', '/health'];
const STATUSES = ['200', '404', '500', '503'];
const STATUS_SHARE = [0.9, 0.06, 0.03, 0.01];
const LE = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const CPU_MODES = ['user', 'system', 'iowait', 'idle'];
const CPU_SHARE = [0.35, 0.1, 0.05, 0.5];
const QUEUES = ['email', 'billing', 'search', 'export', 'import', 'audit'];

export interface DataSpec {
  instances: number;
  /** First sample time of the first target (ms, on a minute boundary). */
  startMs: number;
  /** Samples per series. */
  points: number;
}

export type Family = 'counter' | 'gauge' | 'histogram';

export interface SeriesDef {
  /** Sorted by name, `__name__` included. */
  labels: Label[];
  family: string;
  type: Family;
  instance: number;
  /** Position within the target's 100 series. */
  slot: number;
}

/** Deterministic noise in [0, 1) for (series, point). */
const noise = (a: number, b: number): number => hash(hash(a) ^ (b * 0x9e3779b1)) / 2 ** 32;

export const jobOf = (instance: number): string => `svc-${instance % JOBS}`;
export const instanceLabel = (instance: number): string => `10.0.${instance >> 8}.${instance & 255}:9100`;

/**
 * Offset of target `instance` within the scrape interval, in whole seconds: promtool reads
 * OpenMetrics timestamps (seconds) as int64(seconds * 1000), which truncates, so a
 * millisecond part could come out 1 ms off and the two systems would not hold the same data.
 */
export const offsetMs = (instance: number): number => (hash(instance + 17) % 15) * 1000;

function sorted(labels: Record<string, string>): Label[] {
  return Object.entries(labels)
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The 100 series of one target, in a fixed order. */
export function instanceSeries(instance: number): SeriesDef[] {
  const base = { job: jobOf(instance), instance: instanceLabel(instance) };
  const out: SeriesDef[] = [];
  const add = (family: string, type: Family, name: string, extra: Record<string, string>): void => {
    out.push({
      labels: sorted({ __name__: name, ...base, ...extra }),
      family,
      type,
      instance,
      slot: out.length,
    });
  };
  for (const handler of HANDLERS)
    for (const status of STATUSES)
      add('http_requests', 'counter', 'http_requests_total', { handler, status });
  const h = 'http_request_duration_seconds';
  for (const handler of HANDLERS) {
    for (const le of [...LE.map(String), '+Inf']) add(h, 'histogram', `${h}_bucket`, { handler, le });
    add(h, 'histogram', `${h}_sum`, { handler });
    add(h, 'histogram', `${h}_count`, { handler });
  }
  for (const cpu of ['0', '1'])
    for (const mode of CPU_MODES) add('node_cpu_seconds', 'counter', 'node_cpu_seconds_total', { cpu, mode });
  add('process_resident_memory_bytes', 'gauge', 'process_resident_memory_bytes', {});
  for (const queue of QUEUES) add('queue_depth', 'gauge', 'queue_depth', { queue });
  if (out.length !== SERIES_PER_INSTANCE) throw new Error(`${out.length} series per instance`);
  return out;
}

/** Daily traffic shape in (0.2, 1.8): quiet at night, busy in the afternoon. */
const daily = (tMs: number, phase: number): number =>
  1 + 0.8 * Math.sin((2 * Math.PI * (tMs % DAY_MS)) / DAY_MS - Math.PI / 2 + phase);

export function timestamps(spec: DataSpec, instance: number): Float64Array {
  const ts = new Float64Array(spec.points);
  const first = spec.startMs + offsetMs(instance);
  for (let k = 0; k < spec.points; k++) ts[k] = first + k * STEP_MS;
  return ts;
}

/**
 * The values of all 100 series of a target (same order as {@link instanceSeries}), computed
 * together because the histogram's buckets, sum and count share one stream of observations.
 */
export function instanceValues(spec: DataSpec, instance: number): Float64Array[] {
  const n = spec.points;
  const ts = timestamps(spec, instance);
  const values = Array.from({ length: SERIES_PER_INSTANCE }, () => new Float64Array(n));
  const seed = instance * 1000;
  let slot = 0;
  // http_requests_total: per handler a base rate, split over statuses.
  for (let hd = 0; hd < HANDLERS.length; hd++) {
    const rate = 2 + (hash(seed + hd) % 40); // requests per second at the daily mean
    for (let st = 0; st < STATUSES.length; st++) {
      const v = values[slot++]!;
      let total = hash(seed + hd * 7 + st) % 100_000;
      for (let k = 0; k < n; k++) {
        const expected = rate * STATUS_SHARE[st]! * 15 * daily(ts[k]!, hd * 0.3);
        total += Math.floor(expected * (0.8 + 0.4 * noise(seed + hd * 4 + st, k)));
        v[k] = total;
      }
    }
  }
  // The histogram: per handler, observations per step, a latency median that moves with load.
  for (let hd = 0; hd < HANDLERS.length; hd++) {
    const rate = 2 + (hash(seed + hd) % 40);
    const buckets = values.slice(slot, slot + LE.length + 1);
    const sum = values[slot + LE.length + 1]!;
    const count = values[slot + LE.length + 2]!;
    slot += LE.length + 3;
    const cumulative = new Float64Array(LE.length + 1);
    let total = 0;
    let sumMs = 0;
    const baseMedianMs = 20 + (hash(seed + 50 + hd) % 200);
    for (let k = 0; k < n; k++) {
      const load = daily(ts[k]!, hd * 0.3);
      const observed = Math.floor(rate * 15 * load * (0.8 + 0.4 * noise(seed + 90 + hd, k)));
      const medianS = (baseMedianMs * (0.6 + 0.4 * load)) / 1000;
      // Log-logistic CDF around the median: F(le) = 1 / (1 + (median / le)^3).
      for (let b = 0; b < LE.length; b++) {
        cumulative[b]! += Math.floor(observed / (1 + (medianS / LE[b]!) ** 3));
        buckets[b]![k] = cumulative[b]!;
      }
      total += observed;
      cumulative[LE.length] = total;
      buckets[LE.length]![k] = total;
      count[k] = total;
      sumMs += Math.round(observed * medianS * 1000 * 1.2);
      sum[k] = sumMs / 1000;
    }
  }
  // node_cpu_seconds_total in 0.01 s ticks: 2 cores × 15 s = 3000 ticks a step, split by mode.
  for (let cpu = 0; cpu < 2; cpu++) {
    const busy = 0.2 + 0.6 * (hash(seed + 200 + cpu) / 2 ** 32);
    for (let m = 0; m < CPU_MODES.length; m++) {
      const v = values[slot++]!;
      let ticks = hash(seed + 210 + cpu * 4 + m) % 10_000_000;
      for (let k = 0; k < n; k++) {
        const share =
          m === 3 ? 1 - busy * daily(ts[k]!, cpu) * 0.55 : (busy * daily(ts[k]!, cpu) * CPU_SHARE[m]!) / 0.5;
        ticks += Math.max(0, Math.floor(1500 * share * (0.9 + 0.2 * noise(seed + 220 + cpu * 4 + m, k))));
        v[k] = ticks / 100;
      }
    }
  }
  // process_resident_memory_bytes: pages, following load with a slow leak.
  {
    const v = values[slot++]!;
    const base = 200 + (hash(seed + 300) % 800);
    for (let k = 0; k < n; k++) {
      const mib = base * (0.8 + 0.2 * daily(ts[k]!, 0)) + k * 0.002 + 4 * noise(seed + 301, k);
      v[k] = Math.floor((mib * 2 ** 20) / 4096) * 4096;
    }
  }
  for (let q = 0; q < QUEUES.length; q++) {
    const v = values[slot++]!;
    const depth = 5 + (hash(seed + 400 + q) % 200);
    for (let k = 0; k < n; k++)
      v[k] = Math.max(0, Math.round(depth * daily(ts[k]!, q) * (0.5 + noise(seed + 410 + q, k))));
  }
  return values;
}

/** All series of `instances` targets as MetricSeries (for Vigil's store), one target at a time. */
export function* seriesByInstance(spec: DataSpec): Generator<MetricSeries[]> {
  for (let i = 0; i < spec.instances; i++) {
    const defs = instanceSeries(i);
    const values = instanceValues(spec, i);
    const ts = timestamps(spec, i);
    yield defs.map((d, s) => ({
      labels: d.labels,
      timestampsMs: Array.from(ts),
      values: Array.from(values[s]!),
    }));
  }
}

const escapeLabel = (v: string): string =>
  v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * Streams the data set as OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`:
 * families contiguous (each after its `# TYPE` line), series after series within a family,
 * timestamps in seconds with millisecond decimals, `# EOF` at the end. Resolves with bytes written.
 */
export async function writeOpenMetrics(file: string, spec: DataSpec): Promise<number> {
  const out = createWriteStream(file, { highWaterMark: 4 << 20 });
  let bytes = 0;
  let chunk = '';
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
    chunk = '';
  };
  const defs = instanceSeries(0);
  const families = [...new Set(defs.map((d) => d.family))];
  for (const family of families) {
    const type = defs.find((d) => d.family === family)!.type;
    chunk += `# TYPE ${family} ${type}\n`;
    for (let i = 0; i < spec.instances; i++) {
      const series = instanceSeries(i);
      const values = instanceValues(spec, i);
      const ts = timestamps(spec, i);
      const seconds = Array.from(ts, (t) => String(t / 1000));
      for (const d of series) {
        if (d.family !== family) continue;
        const name = d.labels.find((l) => l.name === '__name__')!.value;
        const labels = d.labels
          .filter((l) => l.name !== '__name__')
          .map((l) => `${l.name}="${escapeLabel(l.value)}"`)
          .join(',');
        const prefix = `${name}{${labels}} `;
        const v = values[d.slot]!;
        for (let k = 0; k < spec.points; k++) {
          chunk += `${prefix}${v[k]} ${seconds[k]}\n`;
          if (chunk.length > 1 << 20) await flush();
        }
      }
    }
  }
  chunk += '# EOF\n';
  await flush();
  out.end();
  await once(out, 'finish');
  return bytes;
}

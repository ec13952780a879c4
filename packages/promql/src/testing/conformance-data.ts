import type { Label } from '@vigil/protocols';
import { formatGoFloat } from '../format/go-float.ts';
import { normalizeLabels } from '../model/labels.ts';
import type { SeriesData } from '../model/series-source.ts';
import { rng, type Random } from '@vigil/testkit';

/**
 * The deterministic data set the conformance test loads into both Prometheus and Vigil's
 * engine: counters with resets, gauges (negative, NaN, infinite, tiny, huge), classic
 * histograms (one with a non-monotonic bucket, one without +Inf), series with gaps longer than
 * the 5m lookback, sparse and short-lived series, info metrics for joins, and pairs that make
 * the engine raise its errors. Scrapes are 15 s apart with per-target offsets and jitter, as
 * real scrape timestamps are.
 */
export const DATA_DURATION_MS = 2 * 3_600_000;
const INTERVAL_MS = 15_000;

const JOBS = ['api', 'db', 'worker'];
const INSTANCES = ['10.0.0.1:9100', '10.0.0.2:9100'];
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Infinity];

interface Target {
  readonly job: string;
  readonly instance: string;
  readonly index: number;
}

const TARGETS: Target[] = JOBS.flatMap((job, j) =>
  INSTANCES.map((instance, i) => ({ job, instance, index: j * INSTANCES.length + i })),
);

class Builder {
  readonly series: SeriesData[] = [];
  constructor(
    readonly baseMs: number,
    readonly random: Random,
  ) {}

  /** Scrape times of a target: every `everyMs`, shifted by the target's offset and a little jitter. */
  times(target: number, everyMs = INTERVAL_MS, skip?: (tMs: number) => boolean): number[] {
    const out: number[] = [];
    const offset = 1000 + target * 3217;
    for (let t = this.baseMs + offset; t < this.baseMs + DATA_DURATION_MS; t += everyMs) {
      const jittered = t + Math.floor(this.random() * 40) - 20;
      if (skip === undefined || !skip(jittered - this.baseMs)) out.push(jittered);
    }
    return out;
  }

  add(labels: Record<string, string>, timestampsMs: number[], values: number[]): void {
    const list: Label[] = Object.entries(labels).map(([name, value]) => ({ name, value }));
    this.series.push({ labels: normalizeLabels(list), timestampsMs, values });
  }

  counter(
    labels: Record<string, string>,
    ts: number[],
    rate: number,
    resetChance: number,
    integer: boolean,
  ): void {
    let v = this.random() * 100;
    const values = ts.map(() => {
      if (this.random() < resetChance) v = integer ? Math.floor(this.random() * 3) : this.random();
      else v += integer ? Math.floor(this.random() * rate * 2) : this.random() * rate * 2;
      return v;
    });
    this.add(labels, ts, values);
  }

  gauge(labels: Record<string, string>, ts: number[], f: (i: number, r: number) => number): void {
    this.add(
      labels,
      ts,
      ts.map((_, i) => f(i, this.random())),
    );
  }

  histogram(
    name: string,
    labels: Record<string, string>,
    ts: number[],
    opts: { dip?: boolean; noInf?: boolean },
  ): void {
    const counts = BUCKETS.map(() => 0);
    let sum = 0;
    const perBucket: number[][] = BUCKETS.map(() => []);
    const sums: number[] = [];
    const totals: number[] = [];
    ts.forEach((_, i) => {
      const observations = Math.floor(this.random() * 20);
      for (let o = 0; o < observations; o++) {
        const x = Math.exp(this.random() * 6 - 5);
        sum += x;
        BUCKETS.forEach((b, k) => {
          if (x <= b) counts[k]!++;
        });
      }
      BUCKETS.forEach((_b, k) => {
        // A scrape that sees one bucket lag behind its neighbour breaks monotonicity.
        const dip = opts.dip === true && k === 5 && i % 7 === 3 ? counts[4]! - 2 : counts[k]!;
        perBucket[k]!.push(dip);
      });
      sums.push(sum);
      totals.push(counts[counts.length - 1]!);
    });
    BUCKETS.forEach((b, k) => {
      if (opts.noInf === true && b === Infinity) return;
      this.add({ __name__: `${name}_bucket`, ...labels, le: formatGoFloat(b, 'f') }, ts, perBucket[k]!);
    });
    this.add({ __name__: `${name}_sum`, ...labels }, ts, sums);
    this.add({ __name__: `${name}_count`, ...labels }, ts, totals);
  }
}

/** Generates the data set with its first sample shortly after `baseMs`. */
export function generateConformanceData(baseMs: number): SeriesData[] {
  const b = new Builder(baseMs, rng(42));
  for (const t of TARGETS) {
    const target = { job: t.job, instance: t.instance };
    const ts = b.times(t.index);
    for (const method of ['GET', 'POST']) {
      for (const status of ['200', '500']) {
        const rate = status === '200' ? 20 : 2;
        b.counter({ __name__: 'http_requests_total', ...target, method, status }, ts, rate, 0.004, true);
      }
    }
    b.counter({ __name__: 'process_cpu_seconds_total', ...target }, ts, 0.3, 0.002, false);
    b.gauge(
      { __name__: 'memory_usage_bytes', ...target },
      ts,
      (i, r) => 1e8 + t.index * 1e7 + i * 1e4 * (r - 0.4),
    );
    for (const zone of ['a', 'b']) {
      b.gauge(
        { __name__: 'temperature_celsius', ...target, zone },
        ts,
        (i, r) => 10 * Math.sin(i / 40 + t.index) + r - (zone === 'a' ? 5 : 0),
      );
    }
    b.gauge({ __name__: 'up', ...target }, ts, (i) => (t.index === 3 && i > 200 && i < 260 ? 0 : 1));
    b.histogram('request_duration_seconds', target, ts, { dip: t.index === 1 });
    // 10-minute gaps every 30 minutes (longer than the lookback) and 4-minute gaps (shorter).
    const flaky = b.times(
      t.index,
      INTERVAL_MS,
      (rel) => rel % 1_800_000 > 1_200_000 || (rel % 1_800_000 > 300_000 && rel % 1_800_000 < 540_000),
    );
    b.gauge({ __name__: 'flaky_gauge', ...target }, flaky, (i, r) => Math.round(r * 1000) / 10 + i);
    b.add(
      { __name__: 'node_info', ...target, version: t.index % 2 === 0 ? '1.0' : '2.0', os: 'linux' },
      ts,
      ts.map(() => 1),
    );
  }
  for (const [j, job] of JOBS.entries()) {
    b.counter({ __name__: 'sparse_counter_total', job }, b.times(j, 120_000), 5, 0, true);
    b.gauge({ __name__: 'nan_gauge', job }, b.times(j), (i, r) =>
      i % 37 === 5 ? NaN : i % 53 === 7 ? Infinity : i % 61 === 9 ? -Infinity : r * 10 - 3,
    );
    b.gauge({ __name__: 'tiny_gauge', job }, b.times(j), (_i, r) => r * 1e-7);
    b.gauge({ __name__: 'huge_gauge', job }, b.times(j), (_i, r) => (r + 1) * 1e21);
    b.histogram('broken_histogram', { job }, b.times(j), { noInf: true });
    // Short-lived series: each id exists for 20 minutes.
    for (let id = 0; id < 5; id++) {
      const from = id * 1_500_000;
      b.gauge(
        { __name__: 'ephemeral_gauge', job, id: String(id) },
        b.times(j, INTERVAL_MS, (rel) => rel < from || rel > from + 1_200_000),
        (i, r) => i + r,
      );
    }
  }
  // Samples on whole minutes, without jitter, to hit window and lookback boundaries exactly.
  const every = (stepMs: number): number[] =>
    Array.from({ length: DATA_DURATION_MS / stepMs }, (_, i) => baseMs + (i + 1) * stepMs);
  b.gauge({ __name__: 'edge_gauge', job: 'edge' }, every(600_000), (i) => i * 1.5);
  b.counter({ __name__: 'edge_counter_total', job: 'edge' }, every(60_000), 3, 0.05, true);
  // Same labels once the name is dropped: arithmetic on both must fail.
  b.gauge({ __name__: 'collide_a', x: '1' }, b.times(0), (i) => i);
  b.gauge({ __name__: 'collide_b', x: '1' }, b.times(1), (i) => 2 * i);
  // Two series with the same instance: matching on(instance) against them is many-to-many.
  for (const job of ['a', 'b'])
    b.gauge({ __name__: 'dup_match', instance: '10.0.0.1:9100', job }, b.times(2), (i) => i);
  return b.series;
}

function openMetricsValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** The series as OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`. */
export function toOpenMetrics(series: readonly SeriesData[]): string {
  const byName = new Map<string, SeriesData[]>();
  for (const s of series) {
    const name = s.labels.find((l) => l.name === '__name__')!.value;
    const list = byName.get(name) ?? [];
    list.push(s);
    byName.set(name, list);
  }
  const lines: string[] = [];
  for (const [name, list] of byName) {
    for (const s of list) {
      const labels = s.labels
        .filter((l) => l.name !== '__name__')
        .map((l) => `${l.name}="${l.value}"`)
        .join(',');
      for (let i = 0; i < s.timestampsMs.length; i++) {
        const seconds = (s.timestampsMs[i]! / 1000).toFixed(3);
        lines.push(`${name}{${labels}} ${openMetricsValue(s.values[i]!)} ${seconds}`);
      }
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

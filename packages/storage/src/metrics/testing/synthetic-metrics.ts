/**
 * Deterministic node-exporter-like series for tests and benchmarks: per host, CPU seconds per
 * core and mode (counters growing by fractional seconds), network/disk byte counters (integers
 * growing in bursts), memory and filesystem gauges (random walks on large integers), load
 * averages (two-decimal gauges) and up/flags (0/1). Scrapes every `intervalMs` with a fixed
 * per-target offset and a few ms of jitter, as a real scraper stamps them. Same options, same
 * data. (Belongs in @vigil/testkit once the metric store is wired in; kept here meanwhile.)
 */
import type { Label, MetricSeries } from '@vigil/protocols';
import { rng } from '@vigil/testkit';

export interface SyntheticMetricsOptions {
  /** Number of series (rounded up to whole hosts of 50 series). */
  series: number;
  samplesPerSeries: number;
  startMs: number;
  intervalMs?: number;
  seed?: number;
}

type Kind = 'counter' | 'gauge' | 'flag';

interface Template {
  name: string;
  kind: Kind;
  labels: Record<string, string>;
  /** Mean increase per second (counters) or per-sample step (gauges). */
  rate: number;
  /** Values are multiples of this (0.01 for CPU seconds in USER_HZ ticks, 4096 for pages…). */
  quantum: number;
  /** Chance that a counter does not move in one interval (idle devices). */
  stillChance?: number;
  /** Starting value scale. */
  start: number;
}

// Share of a core's time per mode on a mostly idle server.
const CPU_MODES: Record<string, number> = {
  idle: 0.86,
  user: 0.08,
  system: 0.03,
  iowait: 0.01,
  softirq: 0.01,
  irq: 0.002,
  steal: 0.005,
  nice: 0.0005,
};

/** The 50 series of one host. */
function hostTemplates(): Template[] {
  const out: Template[] = [];
  for (let cpu = 0; cpu < 4; cpu++) {
    for (const [mode, share] of Object.entries(CPU_MODES)) {
      const labels = { cpu: String(cpu), mode };
      out.push({
        name: 'node_cpu_seconds_total',
        kind: 'counter',
        labels,
        rate: share,
        quantum: 0.01,
        start: 1e6,
      });
    }
  }
  for (const device of ['eth0', 'lo']) {
    const scale = device === 'lo' ? 0.01 : 1;
    for (const dir of ['receive', 'transmit']) {
      const labels = { device };
      const stillChance = device === 'lo' ? 0.6 : 0;
      out.push({
        name: `node_network_${dir}_bytes_total`,
        kind: 'counter',
        labels,
        rate: 2e5 * scale,
        quantum: 1,
        stillChance,
        start: 1e12,
      });
      out.push({
        name: `node_network_${dir}_packets_total`,
        kind: 'counter',
        labels,
        rate: 300 * scale,
        quantum: 1,
        stillChance,
        start: 1e9,
      });
    }
  }
  for (const name of [
    'node_memory_MemAvailable_bytes',
    'node_memory_Cached_bytes',
    'node_memory_Buffers_bytes',
  ]) {
    out.push({ name, kind: 'gauge', labels: {}, rate: 2e6, quantum: 4096, start: 8e9 });
  }
  for (const name of ['node_load1', 'node_load5', 'node_load15']) {
    out.push({ name, kind: 'gauge', labels: {}, rate: 0.05, quantum: 0.01, start: 1 });
  }
  out.push({
    name: 'node_filesystem_avail_bytes',
    kind: 'gauge',
    labels: { mountpoint: '/', fstype: 'ext4' },
    rate: 1e5,
    quantum: 4096,
    start: 5e10,
  });
  out.push({
    name: 'node_disk_read_bytes_total',
    kind: 'counter',
    labels: { device: 'sda' },
    rate: 5e4,
    quantum: 512,
    stillChance: 0.5,
    start: 1e11,
  });
  out.push({
    name: 'node_disk_written_bytes_total',
    kind: 'counter',
    labels: { device: 'sda' },
    rate: 2e5,
    quantum: 512,
    stillChance: 0.2,
    start: 1e11,
  });
  out.push({ name: 'up', kind: 'flag', labels: {}, rate: 0, quantum: 1, start: 1 });
  return out;
}

/** Rounds to a multiple of `quantum` the way the source would print it (no float residue). */
function quantize(value: number, quantum: number): number {
  return quantum >= 1
    ? Math.round(value / quantum) * quantum
    : Math.round(value / quantum) / Math.round(1 / quantum);
}

/** Series with all their samples (split them into batches as a sender would). */
export function syntheticMetricSeries(options: SyntheticMetricsOptions): MetricSeries[] {
  const intervalMs = options.intervalMs ?? 15_000;
  const intervalS = intervalMs / 1000;
  const next = rng(options.seed ?? 1);
  const templates = hostTemplates();
  const hosts = Math.ceil(options.series / templates.length);
  const out: MetricSeries[] = [];
  for (let host = 0; host < hosts; host++) {
    const instance = `10.${(host >> 8) & 255}.${host & 255}.${10 + (host % 7)}:9100`;
    const offsetMs = Math.floor(next() * intervalMs);
    for (const t of templates) {
      const labels: Label[] = Object.entries({
        __name__: t.name,
        ...t.labels,
        instance,
        job: 'node',
        region: `eu-${host % 3}`,
      })
        .map(([name, value]) => ({ name, value }))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      const timestampsMs: number[] = [];
      const values: number[] = [];
      let value = quantize(t.start * (0.5 + next()), t.quantum);
      for (let i = 0; i < options.samplesPerSeries; i++) {
        // A scraper stamps the scrape's start: a fixed offset per target plus a few ms.
        timestampsMs.push(options.startMs + offsetMs + i * intervalMs + Math.floor(next() * 5));
        values.push(value);
        if (t.kind === 'counter') {
          if (next() >= (t.stillChance ?? 0))
            value = quantize(value + t.rate * intervalS * 2 * next(), t.quantum);
        } else if (t.kind === 'gauge') {
          value = Math.max(0, quantize(value + (next() - 0.5) * 2 * t.rate, t.quantum));
        } else {
          value = next() < 0.001 ? 0 : 1;
        }
      }
      out.push({ labels, timestampsMs, values });
      if (out.length === options.series) return out;
    }
  }
  return out;
}

/** Cuts series into per-time batches of `samplesPerBatch` samples of every series, in order. */
export function batchesOf(series: readonly MetricSeries[], samplesPerBatch: number): MetricSeries[][] {
  const total = series[0]?.timestampsMs.length ?? 0;
  const out: MetricSeries[][] = [];
  for (let from = 0; from < total; from += samplesPerBatch) {
    out.push(
      series.map((s) => ({
        labels: s.labels,
        timestampsMs: s.timestampsMs.slice(from, from + samplesPerBatch),
        values: s.values.slice(from, from + samplesPerBatch),
      })),
    );
  }
  return out;
}

/** Turning a measured value and its threshold into a {@link Check}, the same way for every report. */
import type { SeriesStats, TimeSeries } from '@vigil/model';
import { seriesStats, seriesToJson } from '@vigil/model';
import type { Chart, ChartLine, Check, Status } from '../report.ts';
import type { CheckId, Thresholds } from './thresholds.ts';

export interface Measured {
  /** The worst value over the window, in the threshold's unit; undefined or NaN = no data. */
  readonly value: number | undefined;
  /** What a human reads, given the status; called only when there is data. */
  readonly describe: (status: Status, threshold: number) => string;
  /** `below`: values under the threshold are bad (availability). Default `above`. */
  readonly bad?: 'above' | 'below';
  /** Message when there is no data (default: "no data"). */
  readonly noData?: string;
  /** Status when over the warning threshold (default warning; OOM kills are critical). */
  readonly severity?: Status;
}

export function evaluate(thresholds: Thresholds, id: CheckId, m: Measured): Check {
  const t = thresholds.get(id);
  const base = { id, title: t.title, unit: t.unit, threshold: t.warning };
  if (t.disabled) return { ...base, status: 'ok', message: 'check disabled' };
  if (m.value === undefined || Number.isNaN(m.value)) {
    return { ...base, status: 'unknown', message: m.noData ?? 'no data' };
  }
  const over = (limit: number) => (m.bad === 'below' ? m.value! < limit : m.value! > limit);
  let status: Status = 'ok';
  if (t.critical !== undefined && over(t.critical)) status = 'critical';
  else if (over(t.warning)) status = m.severity ?? 'warning';
  return { ...base, status, value: m.value, message: m.describe(status, t.warning) };
}

/** The largest defined value of several series, NaN when none has data. */
export function maxOf(series: readonly TimeSeries[]): number {
  let max = NaN;
  for (const s of series) {
    const st: SeriesStats = seriesStats(s);
    if (st.count > 0 && !(st.max <= max)) max = st.max;
  }
  return max;
}

export function chart(
  title: string,
  unit: string,
  lines: ReadonlyArray<[string, TimeSeries]>,
  threshold?: number,
): Chart {
  const out: ChartLine[] = lines.map(([name, s]) => ({ name, data: seriesToJson(s) }));
  return threshold === undefined ? { title, unit, lines: out } : { title, unit, lines: out, threshold };
}

/** `0.1234` → `12.3%`. */
export function pct(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 2 : 1)}%`;
}

/** Seconds for humans: `850 µs`, `12 ms`, `3.4 s`. */
export function seconds(s: number): string {
  if (s < 0.001) return `${Math.round(s * 1e6)} µs`;
  if (s < 1) return `${+(s * 1000).toFixed(s < 0.01 ? 1 : 0)} ms`;
  return `${+s.toFixed(1)} s`;
}

export function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${+n.toFixed(1)} ${units[i]}`;
}

/** The short name of an instance id (`/k8s/ns/pod/container` → `pod`). */
export function instanceName(id: string): string {
  const parts = id.split('/').filter((p) => p !== '');
  return parts[0] === 'k8s' && parts.length >= 3 ? parts[2]! : (parts[parts.length - 1] ?? id);
}

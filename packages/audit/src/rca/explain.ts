/**
 * One-line explanations of a scored candidate: what moved, by how much, and when relative to
 * the symptom. "api: CPU throttling rose 12× 2 min before the error rate".
 */
import type { CauseCandidate } from './types.ts';

/** What the explanation needs from the scoring. */
export interface ExplainInput {
  readonly candidate: CauseCandidate;
  readonly anomaly: number;
  readonly baselineMedian: number;
  readonly windowMean: number;
  /** Symptom onset − candidate onset; null when the candidate has no onset. */
  readonly leadMs: number | null;
  /** Leads within this are "together with". */
  readonly toleranceMs: number;
  /** "the error rate". */
  readonly symptomTitle: string;
}

/** "45 s", "2 min", "1.5 h". */
export function formatDurationMs(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 60_000) return `${Math.round(abs / 1000)} s`;
  if (abs < 3_600_000) return `${trim(abs / 60_000)} min`;
  return `${trim(abs / 3_600_000)} h`;
}

/** One decimal below 10, none above: "2.5", "12". */
function trim(x: number): string {
  return x < 10 ? String(Math.round(x * 10) / 10) : String(Math.round(x));
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** A value with its unit, rounded for reading: "12%", "340 ms", "1.5 GiB", "0.25 /s". */
export function formatValue(v: number, unit: string): string {
  if (Number.isNaN(v)) return 'no data';
  if (unit === '%') return `${trimSmall(v)}%`;
  if (unit === 's' && Math.abs(v) < 1) return `${trimSmall(v * 1000)} ms`;
  if (unit === 'bytes' || unit === 'bytes/s') {
    let x = v;
    let k = 0;
    while (Math.abs(x) >= 1024 && k < BYTE_UNITS.length - 1) {
      x /= 1024;
      k++;
    }
    return `${trimSmall(x)} ${BYTE_UNITS[k]!}${unit === 'bytes/s' ? '/s' : ''}`;
  }
  return `${trimSmall(v)} ${unit}`;
}

/** Three significant digits at most, no trailing zeros. */
function trimSmall(x: number): string {
  if (x === 0) return '0';
  return String(Number(x.toPrecision(3)));
}

function changeText(input: ExplainInput): string {
  const { candidate: c, baselineMedian: before, windowMean: during } = input;
  if (c.kind === 'deployment') return 'rolled out';
  if (input.anomaly === 0) return `stayed near its baseline (${formatValue(before, c.unit)})`;
  const verb = c.direction === 'up' ? 'rose' : 'fell';
  const ratio = during / before;
  // A ratio reads well only between two positive levels of the same sign; from 0 it is ∞.
  if (before > 0 && during > 0 && (ratio >= 2 || ratio <= 0.5)) {
    return `${verb} ${trim(ratio >= 1 ? ratio : 1 / ratio)}×`;
  }
  return `${verb} from ${formatValue(before, c.unit)} to ${formatValue(during, c.unit)}`;
}

function timingText(input: ExplainInput): string {
  const { leadMs, toleranceMs, symptomTitle } = input;
  if (leadMs === null) return `with no clear onset near ${symptomTitle}`;
  if (leadMs > toleranceMs) return `${formatDurationMs(leadMs)} before ${symptomTitle}`;
  if (leadMs < -toleranceMs) return `${formatDurationMs(leadMs)} after ${symptomTitle}`;
  return `together with ${symptomTitle}`;
}

/** "api: CPU throttling rose 12× 2 min before the error rate". */
export function explain(input: ExplainInput): string {
  const c = input.candidate;
  const subject = c.instanceId === undefined ? c.applicationName : `${c.applicationName} (${c.instanceId})`;
  if (input.anomaly === 0) return `${subject}: ${c.title} ${changeText(input)}`;
  return `${subject}: ${c.title} ${changeText(input)} ${timingText(input)}`;
}

/**
 * Robust statistics over series: median and MAD for baselines (a few spikes in the baseline
 * must not hide the anomaly), and correlation that holds up when a symptom and its cause do not
 * move linearly (a p95 from buckets moves in steps, a filling disk in a ramp).
 */
import type { TimeSeries } from '@vigil/model';

/** MAD × 1.4826 estimates the standard deviation of normally distributed data. */
const MAD_TO_SIGMA = 1.4826;
/**
 * The spread is at least this share of the baseline's level: a baseline that never moved
 * (MAD 0) would otherwise make any rounding difference infinitely anomalous.
 */
const RELATIVE_SIGMA_FLOOR = 0.05;
const ABSOLUTE_SIGMA_FLOOR = 1e-9;

/** The defined values of `s` in `[fromIndex, toIndex)`. */
export function definedValues(s: TimeSeries, fromIndex: number, toIndex: number): number[] {
  const out: number[] = [];
  for (let i = Math.max(0, fromIndex); i < Math.min(toIndex, s.grid.points); i++) {
    const v = s.values[i]!;
    if (!Number.isNaN(v)) out.push(v);
  }
  return out;
}

/** Median of `values` (NaN when empty); does not modify its input. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A baseline's level and spread. */
export interface Baseline {
  /** Defined points it was computed from. */
  readonly count: number;
  readonly median: number;
  /** Robust standard deviation: 1.4826 × MAD, floored (see RELATIVE_SIGMA_FLOOR). */
  readonly sigma: number;
}

/** Median and robust spread of the defined points of `s` in `[fromIndex, toIndex)`. */
export function baselineOf(s: TimeSeries, fromIndex: number, toIndex: number): Baseline {
  const values = definedValues(s, fromIndex, toIndex);
  const m = median(values);
  const mad = median(values.map((v) => Math.abs(v - m)));
  const sigma = Math.max(MAD_TO_SIGMA * mad, RELATIVE_SIGMA_FLOOR * Math.abs(m), ABSOLUTE_SIGMA_FLOOR);
  return { count: values.length, median: m, sigma: Number.isNaN(sigma) ? NaN : sigma };
}

/** 1-based ranks with ties given their average rank. */
function ranks(values: readonly number[]): Float64Array {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
  const out = new Float64Array(values.length);
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && values[order[end]!] === values[order[start]!]) end++;
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) out[order[k]!] = rank;
    start = end;
  }
  return out;
}

function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}

/** Pearson's r and Spearman's ρ of the same pairs. */
export interface Correlation {
  readonly pearson: number;
  readonly spearman: number;
}

/**
 * Pearson's r and Spearman's ρ of `a` and `b` over `[fromIndex, toIndex)`, on the points where
 * both are defined. NaN when fewer than `minPoints` such points or when either is constant there.
 */
export function correlate(
  a: TimeSeries,
  b: TimeSeries,
  fromIndex: number,
  toIndex: number,
  minPoints = 5,
): Correlation {
  const xs: number[] = [];
  const ys: number[] = [];
  const end = Math.min(toIndex, a.grid.points, b.grid.points);
  for (let i = Math.max(0, fromIndex); i < end; i++) {
    const x = a.values[i]!;
    const y = b.values[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    xs.push(x);
    ys.push(y);
  }
  if (xs.length < Math.max(2, minPoints)) return { pearson: NaN, spearman: NaN };
  return { pearson: pearson(xs, ys), spearman: pearson(ranks(xs), ranks(ys)) };
}

/** Spearman's rank correlation alone; see `correlate`. */
export function spearman(
  a: TimeSeries,
  b: TimeSeries,
  fromIndex: number,
  toIndex: number,
  minPoints = 5,
): number {
  return correlate(a, b, fromIndex, toIndex, minPoints).spearman;
}

/**
 * How strongly `a` and `b` move together in the direction `sign` (+1 same way, -1 opposite):
 * the larger of sign·r and sign·ρ, 0 when undefined or negative. Both, because each misses a
 * case the other sees: ranks inside the two levels of a shared step are pure noise, which caps ρ
 * near 0.67 when the step covers a third of the range (r sees it through the noise); a monotone
 * but curved relation (a ramp against a p95 in steps) is what ρ is for.
 */
export function comovement(
  a: TimeSeries,
  b: TimeSeries,
  fromIndex: number,
  toIndex: number,
  sign: 1 | -1,
): number {
  const { pearson: r, spearman: rho } = correlate(a, b, fromIndex, toIndex);
  const best = Math.max(Number.isNaN(r) ? -Infinity : sign * r, Number.isNaN(rho) ? -Infinity : sign * rho);
  return Math.max(0, best);
}

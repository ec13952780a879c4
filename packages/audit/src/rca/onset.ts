/**
 * Onset detection: where a series departs from its baseline.
 *
 * ```
 *  value
 *    │                 ●  ●     ●  ●  ●        threshold = median + k·σ   (σ = 1.4826·MAD)
 *  ──┼──────────────────────────────────────  ← a point above it is a "hit"
 *    │  ● ●  ●  ●●  ● ●   ●  ●                 onset = first hit followed, within `runPoints`
 *    │ ●  ●●  ●  ● ●   ▲                       points, by at least `minHits` hits in all
 *    └──────baseline────┴─search──────────► t
 * ```
 *
 * Requiring 2 hits in 5 points ignores a lone spike, yet still sees a periodic signal (an OOM
 * loop that kills once every few steps) as one sustained departure.
 */
import { type TimeSeries } from '@vigil/model';
import { baselineOf, type Baseline } from './robust-stats.ts';
import type { SignalDirection } from './types.ts';

export interface OnsetOptions {
  /** The baseline the series departs from: `[baselineFromMs, baselineToMs)`. */
  readonly baselineFromMs: number;
  readonly baselineToMs: number;
  /** Where to look for the departure: `[searchFromMs, searchToMs]`. */
  readonly searchFromMs: number;
  readonly searchToMs: number;
  /** Default 'up'. */
  readonly direction?: SignalDirection;
  /** How many robust standard deviations count as a departure; default 3. */
  readonly k?: number;
  /** Length of the run that must confirm the departure, in points; default 5. */
  readonly runPoints?: number;
  /** Points of that run (the first included) that must depart; default 2. */
  readonly minHits?: number;
}

export const DEFAULT_ONSET_K = 3;
export const DEFAULT_RUN_POINTS = 5;
export const DEFAULT_MIN_HITS = 2;

/** First grid index at or after `tMs`, clamped to `[0, points]`. */
export function indexAtOrAfter(s: TimeSeries, tMs: number): number {
  const i = Math.ceil((tMs - s.grid.fromMs) / s.grid.stepMs);
  return Math.min(s.grid.points, Math.max(0, i));
}

/**
 * The index where `s` departs from `baseline` within `[fromIndex, toIndex)`, or -1.
 * The confirming run may extend past `toIndex`: a departure at the window's last point
 * is confirmed by what follows it.
 */
export function onsetIndex(
  s: TimeSeries,
  baseline: Baseline,
  fromIndex: number,
  toIndex: number,
  direction: SignalDirection,
  k = DEFAULT_ONSET_K,
  runPoints = DEFAULT_RUN_POINTS,
  minHits = DEFAULT_MIN_HITS,
): number {
  if (baseline.count === 0 || Number.isNaN(baseline.median)) return -1;
  const sign = direction === 'up' ? 1 : -1;
  const threshold = baseline.median + sign * k * baseline.sigma;
  const hit = (v: number): boolean => (direction === 'up' ? v > threshold : v < threshold);
  const points = s.grid.points;
  for (let i = Math.max(0, fromIndex); i < Math.min(toIndex, points); i++) {
    const v = s.values[i]!;
    if (Number.isNaN(v) || !hit(v)) continue;
    let hits = 0;
    let defined = 0;
    for (let j = i; j < Math.min(points, i + runPoints); j++) {
      const w = s.values[j]!;
      // A gap neither confirms nor refutes: missing scrapes must not cancel a departure.
      if (Number.isNaN(w)) continue;
      defined++;
      if (hit(w)) hits++;
    }
    // At the very end of the data fewer points can confirm; all of them must then.
    if (hits >= Math.min(minHits, defined)) return i;
  }
  return -1;
}

/** When `s` departs from its baseline (Unix ms), or null when it does not. */
export function findOnset(s: TimeSeries, options: OnsetOptions): number | null {
  const baseline = baselineOf(
    s,
    indexAtOrAfter(s, options.baselineFromMs),
    indexAtOrAfter(s, options.baselineToMs),
  );
  const i = onsetIndex(
    s,
    baseline,
    indexAtOrAfter(s, options.searchFromMs),
    indexAtOrAfter(s, options.searchToMs + 1),
    options.direction ?? 'up',
    options.k,
    options.runPoints,
    options.minHits,
  );
  return i < 0 ? null : s.grid.fromMs + i * s.grid.stepMs;
}

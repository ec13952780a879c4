/**
 * Synthetic series for RCA tests: a level, Gaussian noise from a seeded PRNG, and effects
 * (steps, ramps, periodic spikes) added on top, on a grid from `gridFor`.
 */
import { timeAt, type TimeGrid, type TimeSeries } from '@vigil/model';
import { gaussian, mulberry32 } from './prng.ts';

/** Something added to the level at time `tMs`. */
export type Effect = (tMs: number) => number;

export const MIN = 60_000;

/** `height` from `fromMs` (included) until `toMs` (excluded). */
export function step(fromMs: number, height: number, toMs = Infinity): Effect {
  return (t) => (t >= fromMs && t < toMs ? height : 0);
}

/** Rises linearly from 0 at `fromMs` to `height` at `toMs`, then stays there. */
export function ramp(fromMs: number, toMs: number, height: number): Effect {
  return (t) => (t < fromMs ? 0 : t >= toMs ? height : (height * (t - fromMs)) / (toMs - fromMs));
}

/** `height` on every `everyMs` from `fromMs` until `toMs` (an OOM loop, a cron job). */
export function spikes(fromMs: number, toMs: number, everyMs: number, height: number): Effect {
  return (t) => (t >= fromMs && t < toMs && (t - fromMs) % everyMs === 0 ? height : 0);
}

export interface SyntheticSpec {
  readonly level: number;
  /** Standard deviation of the Gaussian noise. */
  readonly noise?: number;
  readonly seed?: number;
  readonly effects?: readonly Effect[];
  /** Values are never below this (rates, percentages); default 0. */
  readonly floor?: number;
  /** Every n-th point is NaN (a missed scrape). */
  readonly gapEvery?: number;
}

/** A series on `grid` as `spec` describes it; deterministic for a given seed. */
export function synthetic(grid: TimeGrid, spec: SyntheticSpec): TimeSeries {
  const rand = mulberry32(spec.seed ?? 1);
  const values = new Float64Array(grid.points);
  for (let i = 0; i < grid.points; i++) {
    const t = timeAt(grid, i);
    let v = spec.level + (spec.noise ?? 0) * gaussian(rand);
    for (const e of spec.effects ?? []) v += e(t);
    values[i] =
      spec.gapEvery !== undefined && i % spec.gapEvery === spec.gapEvery - 1
        ? NaN
        : Math.max(spec.floor ?? 0, v);
  }
  return { grid, values };
}

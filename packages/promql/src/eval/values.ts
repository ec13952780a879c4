import type { Labels } from '../model/labels.ts';

/**
 * The evaluation time grid: `steps` points at `startMs + i * stepMs`. An instant query is a
 * grid of one step; a subquery evaluates its expression on a grid of its own.
 */
export interface Grid {
  readonly startMs: number;
  readonly endMs: number;
  readonly stepMs: number;
  readonly steps: number;
}

export function makeGrid(startMs: number, endMs: number, stepMs: number): Grid {
  const steps = endMs < startMs ? 0 : Math.floor((endMs - startMs) / stepMs) + 1;
  return { startMs, endMs, stepMs, steps };
}

/**
 * An instant-vector series over a grid: `present[i]` says whether the series has a sample at
 * step i, and `values[i]` is its value then. Dense arrays keep range evaluation a matter of
 * walking indices, with no per-step allocation.
 */
export interface StepSeries {
  readonly labels: Labels;
  readonly values: Float64Array;
  readonly present: Uint8Array;
}

/** A range-vector series: samples at their own timestamps. */
export interface RangeSeries {
  readonly labels: Labels;
  readonly timestampsMs: number[];
  readonly values: number[];
}

export type Value =
  | { readonly kind: 'vector'; readonly series: StepSeries[] }
  | { readonly kind: 'scalar'; readonly values: Float64Array }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'matrix'; readonly series: RangeSeries[] };

export function newStepSeries(labels: Labels, steps: number): StepSeries {
  return { labels, values: new Float64Array(steps), present: new Uint8Array(steps) };
}

/** Number of samples a value holds, for the max-samples limit. */
export function countSamples(value: Value): number {
  switch (value.kind) {
    case 'vector': {
      let n = 0;
      for (const s of value.series) for (let i = 0; i < s.present.length; i++) n += s.present[i]!;
      return n;
    }
    case 'scalar':
      return value.values.length;
    case 'string':
      return 1;
    case 'matrix': {
      let n = 0;
      for (const s of value.series) n += s.values.length;
      return n;
    }
  }
}

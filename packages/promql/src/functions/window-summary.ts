import type { SeriesWindows } from '../model/series-source.ts';
import { extrapolate, lastTwo } from './rate.ts';

/** Window bounds of one step, as the range evaluator computes them. */
export interface WindowBounds {
  rangeStartMs: number;
  rangeEndMs: number;
  rangeMs: number;
}

/**
 * A range function computed from a window summary (entry j of `s`) instead of the samples;
 * it must give exactly what the sample-based function in range-registry.ts gives.
 */
export type SummaryFunction = (s: SeriesWindows, j: number, w: WindowBounds) => number | null;

/*
 * What each function reads of a summary, besides `count` (for a store that leaves out the rest,
 * WindowRequest.functions): rate, increase: first*, last*, resets; delta: first*, last*;
 * resets: resets; irate, idelta: prev*, last*; min_over_time: min; max_over_time: max;
 * last_over_time: lastV; count_over_time, present_over_time: nothing else.
 */
function rateFromSummary(isCounter: boolean, isRate: boolean): SummaryFunction {
  return (s, j, w) => {
    const count = s.count[j]!;
    if (count < 2) return null;
    const first = s.firstV[j]!;
    let result = s.lastV[j]! - first;
    if (isCounter) {
      const resets = s.resets[j];
      if (resets !== undefined) for (let i = 0; i < resets.length; i++) result += resets[i]!;
    }
    return extrapolate(result, first, count, s.firstT[j]!, s.lastT[j]!, w, isCounter, isRate);
  };
}

function lastTwoFromSummary(isRate: boolean): SummaryFunction {
  return (s, j) =>
    s.count[j]! < 2 ? null : lastTwo(s.prevT[j]!, s.prevV[j]!, s.lastT[j]!, s.lastV[j]!, isRate);
}

/** The range functions a store can compute windows for; everything else reads samples. */
export const SUMMARY_FUNCTIONS: ReadonlyMap<string, SummaryFunction> = new Map<string, SummaryFunction>([
  ['rate', rateFromSummary(true, true)],
  ['increase', rateFromSummary(true, false)],
  ['delta', rateFromSummary(false, false)],
  ['irate', lastTwoFromSummary(true)],
  ['idelta', lastTwoFromSummary(false)],
  ['resets', (s, j) => s.resets[j]?.length ?? 0],
  ['count_over_time', (s, j) => s.count[j]!],
  ['min_over_time', (s, j) => s.min[j]!],
  ['max_over_time', (s, j) => s.max[j]!],
  ['last_over_time', (s, j) => s.lastV[j]!],
  ['present_over_time', () => 1],
]);

import {
  avgOverTime,
  changes,
  maxOverTime,
  minOverTime,
  quantileOverTime,
  resets,
  stdvarOverTime,
  sumOverTime,
} from './over-time.ts';
import { extrapolatedRate, instantValue } from './rate.ts';
import { deriv, holtWinters, predictLinear } from './regression.ts';
import type { RangeFunction } from './window.ts';

/** Every function that takes a range vector, by name. */
export const RANGE_FUNCTIONS: ReadonlyMap<string, RangeFunction> = new Map<string, RangeFunction>([
  ['rate', (w) => extrapolatedRate(w, true, true)],
  ['increase', (w) => extrapolatedRate(w, true, false)],
  ['delta', (w) => extrapolatedRate(w, false, false)],
  ['irate', (w) => instantValue(w, true)],
  ['idelta', (w) => instantValue(w, false)],
  ['deriv', deriv],
  ['predict_linear', predictLinear],
  ['holt_winters', holtWinters],
  ['resets', resets],
  ['changes', changes],
  ['avg_over_time', avgOverTime],
  ['min_over_time', minOverTime],
  ['max_over_time', maxOverTime],
  ['sum_over_time', sumOverTime],
  ['count_over_time', (w) => w.hi - w.lo],
  ['last_over_time', (w) => w.vs[w.hi - 1]!],
  ['quantile_over_time', quantileOverTime],
  ['stddev_over_time', (w) => Math.sqrt(stdvarOverTime(w))],
  ['stdvar_over_time', stdvarOverTime],
  ['present_over_time', () => 1],
  ['absent_over_time', () => 1],
]);

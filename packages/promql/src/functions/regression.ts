import { PromQLError } from '../errors.ts';
import { formatGoFloat } from '../format/go-float.ts';
import { KahanSum, type RangeWindow } from './window.ts';

const sumX = new KahanSum();
const sumY = new KahanSum();
const sumXY = new KahanSum();
const sumX2 = new KahanSum();

/**
 * Least-squares fit of the window's samples with x in seconds relative to `interceptTimeMs`.
 * Writes slope and intercept to `out`; a constant series has slope 0 (NaN when it is infinite).
 */
function linearRegression(
  w: RangeWindow,
  interceptTimeMs: number,
  out: { slope: number; intercept: number },
): void {
  sumX.reset();
  sumY.reset();
  sumXY.reset();
  sumX2.reset();
  const initY = w.vs[w.lo]!;
  let constY = true;
  let n = 0;
  for (let i = w.lo; i < w.hi; i++) {
    const y = w.vs[i]!;
    if (constY && i > w.lo && y !== initY) constY = false;
    n += 1;
    const x = (w.ts[i]! - interceptTimeMs) / 1e3;
    sumX.add(x);
    sumY.add(y);
    sumXY.add(x * y);
    sumX2.add(x * x);
  }
  if (constY) {
    const infinite = !Number.isFinite(initY) && !Number.isNaN(initY);
    out.slope = infinite ? NaN : 0;
    out.intercept = infinite ? NaN : initY;
    return;
  }
  const sx = sumX.sum + sumX.c;
  const sy = sumY.sum + sumY.c;
  const sxy = sumXY.sum + sumXY.c;
  const sx2 = sumX2.sum + sumX2.c;
  const covXY = sxy - (sx * sy) / n;
  const varX = sx2 - (sx * sx) / n;
  out.slope = covXY / varX;
  out.intercept = sy / n - (out.slope * sx) / n;
}

const fit = { slope: 0, intercept: 0 };

/** deriv: the per-second slope, with x relative to the first sample for accuracy. */
export function deriv(w: RangeWindow): number | null {
  if (w.hi - w.lo < 2) return null;
  linearRegression(w, w.ts[w.lo]!, fit);
  return fit.slope;
}

/** predict_linear(v, t): the fitted value t seconds after the evaluation time. */
export function predictLinear(w: RangeWindow): number | null {
  if (w.hi - w.lo < 2) return null;
  linearRegression(w, w.evalTsMs, fit);
  return fit.slope * w.params[0]! + fit.intercept;
}

/** holt_winters(v, sf, tf): double exponential smoothing; both factors must be in (0, 1). */
export function holtWinters(w: RangeWindow): number | null {
  const sf = w.params[0]!;
  const tf = w.params[1]!;
  if (sf <= 0 || sf >= 1) {
    throw new PromQLError(
      'execution',
      `invalid smoothing factor. Expected: 0 < sf < 1, got: ${goFixed6(sf)}`,
    );
  }
  if (tf <= 0 || tf >= 1) {
    throw new PromQLError('execution', `invalid trend factor. Expected: 0 < tf < 1, got: ${goFixed6(tf)}`);
  }
  const l = w.hi - w.lo;
  if (l < 2) return null;
  let s0 = 0;
  let s1 = w.vs[w.lo]!;
  let b = w.vs[w.lo + 1]! - w.vs[w.lo]!;
  for (let i = 1; i < l; i++) {
    const x = sf * w.vs[w.lo + i]!;
    // The trend at the previous point; for the first point it is the initial trend b.
    if (i - 1 !== 0) b = tf * (s1 - s0) + (1 - tf) * b;
    const y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
}

/** Go's %f: six decimals (NaN and infinities spelled as Go does). */
function goFixed6(v: number): string {
  return Number.isFinite(v) ? v.toFixed(6) : formatGoFloat(v, 'f');
}

/**
 * The samples of one series inside one range window, as range-vector functions see them:
 * indices [lo, hi) of `ts`/`vs` (never empty when a function is called), plus the window's
 * bounds and the step's scalar arguments. The evaluator reuses one object for every call.
 */
export interface RangeWindow {
  ts: ArrayLike<number>;
  vs: ArrayLike<number>;
  lo: number;
  hi: number;
  /** The evaluation time of the step (not moved by offset or `@`). */
  evalTsMs: number;
  /** Window bounds after offset and `@`: samples satisfy start <= t <= end. */
  rangeStartMs: number;
  rangeEndMs: number;
  rangeMs: number;
  /** Values of the call's scalar arguments at this step, in argument order. */
  params: number[];
}

/** A range-vector function: the output value, or null for "no sample at this step". */
export type RangeFunction = (w: RangeWindow) => number | null;

/** Neumaier-compensated running sum, as Prometheus's kahanSumInc. */
export class KahanSum {
  sum = 0;
  c = 0;

  reset(): this {
    this.sum = 0;
    this.c = 0;
    return this;
  }

  add(inc: number): void {
    const t = this.sum + inc;
    if (Math.abs(this.sum) >= Math.abs(inc)) this.c += this.sum - t + inc;
    else this.c += inc - t + this.sum;
    this.sum = t;
  }

  /** The sum with its compensation (Prometheus returns the bare sum when it is infinite). */
  value(): number {
    return Number.isFinite(this.sum) || Number.isNaN(this.sum) ? this.sum + this.c : this.sum;
  }
}

/**
 * Range windows from bucket rows: the window [end - range, end] of a grid aligned to 5 minutes
 * is the buckets with ends in (end - range, end], plus the sample exactly at end - range, which
 * is the newest sample of the bucket ending there when it lies on that edge. Parts are joined
 * in time order the way the samples would have been scanned: counts add up, the oldest part
 * gives the first sample, the newest the last, and a drop between two parts (the first value
 * of one below the last of the one before) is a counter reset like any other.
 *
 * A bucket with more drops than it lists (a gauge) contributes their sum followed by zeros, one
 * entry per drop: `resets()` counts exactly, and `rate`/`increase` over such a window add the
 * same values in a different grouping, so they may differ from the sample path in the last
 * bits. Counters drop rarely and are exact.
 */
import type { Label } from '@vigil/protocols';
import type { StoredWindows } from '../select-windows.ts';

/**
 * Bucket rows as columns, rows of one series contiguous and ascending by bucket end. Sample
 * times are kept as ms before the bucket's end.
 */
export interface BucketColumns {
  /** Bucket ends in seconds. */
  readonly endS: Uint32Array;
  readonly count: Uint32Array;
  readonly firstAge: Uint32Array;
  readonly lastAge: Uint32Array;
  readonly prevAge: Uint32Array;
  readonly firstV: Float64Array;
  readonly lastV: Float64Array;
  readonly prevV: Float64Array;
  /** Bit 1: the min is firstV (min holds 0); bit 2: the max is lastV (max holds 0). */
  readonly extremes: Uint8Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  /** Row r's values before drops: resetValues[resetEnds[r-1] .. resetEnds[r]). */
  readonly resetEnds: Float64Array;
  readonly resetValues: Float64Array;
  /** A bucket with more drops than it lists: how many, and the sum of the values before them. */
  readonly resetsOver: Uint32Array;
  readonly resetsSum: Float64Array;
  /** 1 + the age of a staleness marker newer than every value of the bucket; 0: none. */
  readonly staleAge: Uint32Array;
}

export interface WindowGrid {
  readonly firstEndMs: number;
  readonly stepMs: number;
  readonly steps: number;
  readonly rangeMs: number;
}

/**
 * The windows of one series from its bucket rows `rows[lo..hi)` (indexes into `b`); undefined
 * when every window is empty. The grid's ends and range must be multiples of 5 minutes.
 * Without `withResets` every window's resets are left out (b has none either). With
 * `withStale` each window says whether its newest entry is a staleness marker (`lastStale`).
 */
export function composeWindows(
  b: BucketColumns,
  rows: Int32Array,
  lo: number,
  hi: number,
  grid: WindowGrid,
  labels: readonly Label[],
  withResets = true,
  withStale = false,
): StoredWindows | undefined {
  const { firstEndMs, stepMs, steps, rangeMs } = grid;
  const step = new Float64Array(steps);
  const count = new Float64Array(steps);
  const firstT = new Float64Array(steps);
  const firstV = new Float64Array(steps);
  const lastT = new Float64Array(steps);
  const lastV = new Float64Array(steps);
  const prevT = new Float64Array(steps);
  const prevV = new Float64Array(steps);
  const min = new Float64Array(steps);
  const max = new Float64Array(steps);
  const resets: Array<Float64Array | undefined> = [];
  const lastStale = withStale ? new Float64Array(steps) : undefined;
  let n = 0;
  let start = lo;
  for (let k = 0; k < steps; k++) {
    const end = firstEndMs + k * stepMs;
    const from = end - rangeMs;
    while (start < hi && b.endS[rows[start]!]! * 1000 < from) start++;
    let i = start;
    let c = 0;
    let fT = NaN;
    let fV = NaN;
    let lT = NaN;
    let lV = NaN;
    let pT = NaN;
    let pV = NaN;
    let mn = NaN;
    let mx = NaN;
    let drops: number[] | undefined;
    // The newest staleness marker of the window (when newer than the values before it).
    let markerT = -Infinity;
    if (i < hi && b.endS[rows[i]!]! * 1000 === from) {
      const r = rows[i]!;
      if (b.count[r]! > 0 && b.lastAge[r] === 0 && b.staleAge[r] === 0) {
        // The edge sample: the newest of the bucket ending exactly where the window starts.
        c = 1;
        fT = lT = from;
        fV = lV = b.lastV[r]!;
        if (fV === fV) mn = mx = fV;
      } else if (b.staleAge[r] === 1) markerT = from;
      i++;
    }
    for (; i < hi; i++) {
      const r = rows[i]!;
      const bucketEnd = b.endS[r]! * 1000;
      if (bucketEnd > end) break;
      const bn = b.count[r]!;
      const staleAge = b.staleAge[r]!;
      if (staleAge > 0) markerT = bucketEnd - (staleAge - 1);
      if (bn === 0) continue;
      const bFirstV = b.firstV[r]!;
      if (c === 0) {
        fT = bucketEnd - b.firstAge[r]!;
        fV = bFirstV;
      } else if (withResets && bFirstV < lV) (drops ??= []).push(lV);
      if (bn >= 2) {
        pT = bucketEnd - b.prevAge[r]!;
        pV = b.prevV[r]!;
      } else if (c > 0) {
        pT = lT;
        pV = lV;
      }
      lT = bucketEnd - b.lastAge[r]!;
      lV = b.lastV[r]!;
      const extremes = b.extremes[r]!;
      const bMin = (extremes & 1) !== 0 ? bFirstV : b.min[r]!;
      const bMax = (extremes & 2) !== 0 ? lV : b.max[r]!;
      if (!(bMin >= mn) && bMin === bMin) mn = bMin;
      if (!(bMax <= mx) && bMax === bMax) mx = bMax;
      c += bn;
      const listedTo = b.resetEnds[r]!;
      for (let j = r === 0 ? 0 : b.resetEnds[r - 1]!; j < listedTo; j++)
        (drops ??= []).push(b.resetValues[j]!);
      const over = b.resetsOver[r]!;
      if (over > 0) {
        // The sum stands for the values (rate adds them up); zeros keep resets() counting.
        (drops ??= []).push(b.resetsSum[r]!);
        for (let j = 1; j < over; j++) drops.push(0);
      }
    }
    if (c === 0) continue;
    step[n] = k;
    count[n] = c;
    firstT[n] = fT;
    firstV[n] = fV;
    lastT[n] = lT;
    lastV[n] = lV;
    prevT[n] = c > 1 ? pT : NaN;
    prevV[n] = c > 1 ? pV : NaN;
    min[n] = mn;
    max[n] = mx;
    resets.push(drops === undefined ? undefined : Float64Array.from(drops));
    if (lastStale !== undefined) lastStale[n] = markerT > lT ? 1 : 0;
    n++;
  }
  if (n === 0) return undefined;
  const cut = (a: Float64Array): Float64Array => (n === steps ? a : a.subarray(0, n));
  return {
    // Shared with the label cache; StoredWindows' type predates it (never mutated).
    labels: labels as Label[],
    step: cut(step),
    count: cut(count),
    firstT: cut(firstT),
    firstV: cut(firstV),
    lastT: cut(lastT),
    lastV: cut(lastV),
    prevT: cut(prevT),
    prevV: cut(prevV),
    min: cut(min),
    max: cut(max),
    resets,
    ...(lastStale === undefined ? {} : { lastStale: cut(lastStale) }),
  };
}

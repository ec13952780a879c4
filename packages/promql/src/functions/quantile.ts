/**
 * The φ-quantile of a set of values (quantile aggregation, quantile_over_time), interpolating
 * between the two closest ranks as Prometheus does. NaN sorts before every number, as in
 * Prometheus's sort order for this purpose. Sorts `values` in place.
 */
export function quantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  values.sort(nanFirst);
  const n = values.length;
  const rank = q * (n - 1);
  const lowerIndex = Math.max(0, Math.floor(rank));
  const upperIndex = Math.min(n - 1, lowerIndex + 1);
  const weight = rank - Math.floor(rank);
  return values[lowerIndex]! * (1 - weight) + values[upperIndex]! * weight;
}

function nanFirst(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a - b;
}

/** One classic histogram bucket: cumulative count of observations <= upperBound. */
export interface Bucket {
  upperBound: number;
  count: number;
}

/**
 * histogram_quantile over classic buckets (Prometheus 2.42 bucketQuantile): buckets are sorted
 * by bound, equal bounds merged, counts forced monotonic (scrape races can make them dip), and
 * the quantile interpolated linearly inside its bucket. Without a +Inf bucket the result is
 * NaN; a quantile in the +Inf bucket returns the highest finite bound; a quantile in the first
 * bucket interpolates from 0, unless that bucket's bound is <= 0.
 */
export function bucketQuantile(q: number, input: Bucket[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  input.sort((a, b) => a.upperBound - b.upperBound);
  if (input[input.length - 1]!.upperBound !== Infinity) return NaN;
  const buckets = coalesce(input);
  ensureMonotonic(buckets);
  if (buckets.length < 2) return NaN;
  const observations = buckets[buckets.length - 1]!.count;
  if (observations === 0) return NaN;
  let rank = q * observations;
  // First bucket (excluding +Inf) whose count reaches the rank.
  let b = 0;
  while (b < buckets.length - 1 && !(buckets[b]!.count >= rank)) b++;
  if (b === buckets.length - 1) return buckets[buckets.length - 2]!.upperBound;
  if (b === 0 && buckets[0]!.upperBound <= 0) return buckets[0]!.upperBound;
  let bucketStart = 0;
  const bucketEnd = buckets[b]!.upperBound;
  let count = buckets[b]!.count;
  if (b > 0) {
    bucketStart = buckets[b - 1]!.upperBound;
    count -= buckets[b - 1]!.count;
    rank -= buckets[b - 1]!.count;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

function coalesce(buckets: Bucket[]): Bucket[] {
  const out: Bucket[] = [{ ...buckets[0]! }];
  for (let i = 1; i < buckets.length; i++) {
    const b = buckets[i]!;
    const last = out[out.length - 1]!;
    if (b.upperBound === last.upperBound) last.count += b.count;
    else out.push({ ...b });
  }
  return out;
}

function ensureMonotonic(buckets: Bucket[]): void {
  let max = buckets[0]!.count;
  for (let i = 1; i < buckets.length; i++) {
    const c = buckets[i]!.count;
    if (c > max) max = c;
    else if (c < max) buckets[i]!.count = max;
  }
}

/**
 * A 32-bit integer hash (lowbias32): deterministic labels, values and noise for the benchmark
 * workloads, without a random-number generator's state.
 */
export function hash32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

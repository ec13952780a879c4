/**
 * OTLP timestamps (uint64 Unix nanoseconds) → Prometheus sample timestamps (Unix milliseconds),
 * truncating like the receiver's `int64(ns) / 1_000_000`, without BigInt.
 */

/**
 * Milliseconds of the little-endian fixed64 at `offset`. With ns = hi·2^32 + lo and
 * 2^32 = 4294·10^6 + 967296, ns / 10^6 = hi·4294 + (hi·967296 + lo) / 10^6, where every term
 * stays below 2^53; the correction step guards the one rounding of the division.
 */
export function fixed64NanosToMs(view: DataView, offset: number): number {
  const lo = view.getUint32(offset, true);
  const hi = view.getUint32(offset + 4, true);
  const rest = hi * 967296 + lo;
  let q = Math.floor(rest / 1_000_000);
  if (q * 1_000_000 > rest) q--;
  return hi * 4294 + q;
}

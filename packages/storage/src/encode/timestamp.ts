/**
 * Nanosecond timestamps as ClickHouse reads them into DateTime64(9): `seconds.nanos` text.
 * The exact decimal keeps all nine digits (a Number would round past 2^53 ns, i.e. 104 days).
 */

const NS_PER_S = 1_000_000_000n;

/** `1700000000123456789n` → `"1700000000.123456789"`. Negative values clamp to the epoch. */
export function nsToDateTime64Text(ns: bigint): string {
  if (ns <= 0n) return '0.000000000';
  const seconds = ns / NS_PER_S;
  const fraction = Number(ns - seconds * NS_PER_S);
  // padStart on a string of at most 9 digits is cheaper than a second bigint → string conversion.
  return `${seconds}.${String(fraction).padStart(9, '0')}`;
}

/** Seeded randomness shared by the generators: same seed, same data, on every machine. */

/** A uniform number in [0, 1). */
export type Random = () => number;

/** mulberry32: tiny, fast, good enough for test data. */
export function rng(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, k). */
export function int(r: Random, k: number): number {
  return Math.floor(r() * k);
}

/** One element of a non-empty list. */
export function pick<T>(r: Random, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)]!;
}

/** `length` lowercase hex digits (trace and span ids). */
export function hex(r: Random, length: number): string {
  let out = '';
  while (out.length < length)
    out += Math.floor(r() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, length);
}

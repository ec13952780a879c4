/**
 * A 53-bit hash of a result series' label set, the series' id in the cache tables (stored as
 * UInt64). 53 bits keep it an exact JS number; with at most some 10^5 series per query the
 * chance of a collision is about 10^-6. Two 32-bit multiply-xorshift lanes over the UTF-16 code
 * units of names and values, with separators that cannot occur in them (0xFFFF, 0xFFFE), mixed
 * at the end; no allocation, so it runs once per series per refresh without showing up.
 */
import type { Label } from '@vigil/protocols';

export function seriesHash(labels: readonly Label[]): number {
  let h1 = 0x9e3779b1;
  let h2 = 0x85ebca6b;
  const mix = (c: number): void => {
    h1 = Math.imul(h1 ^ c, 0x5bd1e995);
    h1 ^= h1 >>> 15;
    h2 = Math.imul(h2 ^ c, 0x27d4eb2f);
    h2 ^= h2 >>> 13;
  };
  for (const l of labels) {
    for (let i = 0; i < l.name.length; i++) mix(l.name.charCodeAt(i));
    mix(0xffff);
    for (let i = 0; i < l.value.length; i++) mix(l.value.charCodeAt(i));
    mix(0xfffe);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b) ^ Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b) ^ Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  h2 ^= h2 >>> 16;
  // 32 bits of one lane above 21 bits of the other: at most 2^53 - 1.
  return (h2 >>> 0) * 0x200000 + (h1 >>> 11);
}

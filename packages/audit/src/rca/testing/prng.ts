/**
 * A tiny seeded PRNG for synthetic test data: the same seed gives the same noise on every
 * machine, so tests of a statistical algorithm are exact, not flaky.
 */

/** mulberry32 (testkit's seeded generator): uniform numbers in [0, 1) from a 32-bit seed. */
export { rng as mulberry32 } from '@vigil/testkit';

/** A standard normal deviate (Box–Muller) from a uniform source. */
export function gaussian(rand: () => number): number {
  const u = 1 - rand(); // (0, 1]: log(0) would be -∞
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

import { DecodeError } from '../decode-error.ts';

/** Runs `fn` and returns the DecodeError it throws; fails the test on success or another error. */
export function catchDecodeError(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DecodeError) return err;
    throw new Error(`expected a DecodeError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected a DecodeError, but decoding succeeded');
}

/** A deterministic PRNG (mulberry32) so corruption tests are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

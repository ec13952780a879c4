/** Binary search shared by the symbol tables (ELF and kallsyms). */

/** Index of the last element of ascending `starts` that is ≤ `value`, or -1. */
export function lastAtOrBelow(starts: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

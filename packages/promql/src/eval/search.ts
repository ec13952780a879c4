/** First index in [lo, hi) whose value is >= x (hi when none). `a` must be sorted ascending. */
export function lowerBound(a: ArrayLike<number>, x: number, lo: number, hi: number): number {
  let l = lo;
  let h = hi;
  while (l < h) {
    const mid = (l + h) >>> 1;
    if (a[mid]! < x) l = mid + 1;
    else h = mid;
  }
  return l;
}

/** First index in [lo, hi) whose value is > x (hi when none). `a` must be sorted ascending. */
export function upperBound(a: ArrayLike<number>, x: number, lo: number, hi: number): number {
  let l = lo;
  let h = hi;
  while (l < h) {
    const mid = (l + h) >>> 1;
    if (a[mid]! <= x) l = mid + 1;
    else h = mid;
  }
  return l;
}

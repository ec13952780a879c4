/**
 * Element-wise functions of instant vectors, with Go's math semantics where JavaScript's
 * differ (Pow's special cases, Log2/Log10 computed as Go does).
 */

const LN2_INV = 1 / Math.LN2;
const LN10_INV = 1 / Math.LN10;

/** Go's math.Pow special cases that differ from `**`. */
export function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return x ** y;
}

/** Go's math.Log2: exact for powers of two, else Log(frac)/Ln2 + exp. */
export function goLog2(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return Math.log2(x);
  let exp = Math.floor(Math.log2(x));
  let frac = x / 2 ** exp;
  // Normalise to Go's Frexp range [0.5, 1).
  while (frac >= 1) {
    frac /= 2;
    exp++;
  }
  while (frac < 0.5) {
    frac *= 2;
    exp--;
  }
  if (frac === 0.5) return exp - 1;
  return Math.log(frac) * LN2_INV + exp;
}

export function goLog10(x: number): number {
  return Math.log(x) * LN10_INV;
}

export const SIMPLE_FUNCTIONS: ReadonlyMap<string, (v: number) => number> = new Map<
  string,
  (v: number) => number
>([
  ['abs', Math.abs],
  ['ceil', Math.ceil],
  ['floor', Math.floor],
  ['exp', Math.exp],
  ['sqrt', Math.sqrt],
  ['ln', Math.log],
  ['log2', goLog2],
  ['log10', goLog10],
  ['sin', Math.sin],
  ['cos', Math.cos],
  ['tan', Math.tan],
  ['asin', Math.asin],
  ['acos', Math.acos],
  ['atan', Math.atan],
  ['sinh', Math.sinh],
  ['cosh', Math.cosh],
  ['tanh', Math.tanh],
  ['asinh', Math.asinh],
  ['acosh', Math.acosh],
  ['atanh', Math.atanh],
  ['rad', (v) => (v * Math.PI) / 180],
  ['deg', (v) => (v * 180) / Math.PI],
  ['sgn', (v) => (v < 0 ? -1 : v > 0 ? 1 : v)],
]);

/** Date functions: the UTC calendar field of a Unix time in seconds. */
export const DATE_FUNCTIONS: ReadonlyMap<string, (d: Date) => number> = new Map<string, (d: Date) => number>([
  ['year', (d) => d.getUTCFullYear()],
  ['month', (d) => d.getUTCMonth() + 1],
  ['day_of_month', (d) => d.getUTCDate()],
  ['day_of_week', (d) => d.getUTCDay()],
  [
    'day_of_year',
    (d) =>
      (Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) /
        86_400_000 +
      1,
  ],
  ['hour', (d) => d.getUTCHours()],
  ['minute', (d) => d.getUTCMinutes()],
  ['days_in_month', (d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()],
]);

/** The date a Unix time in seconds falls on; Go truncates the seconds to an integer first. */
export function dateOfSeconds(seconds: number): Date {
  return new Date(Math.trunc(seconds) * 1000);
}

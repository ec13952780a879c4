/**
 * Go's strconv.FormatFloat(v, 'f' | 'e', -1, 64): the shortest decimal that reads back as the
 * same float64, in fixed or exponent notation. Prometheus formats every value it returns this
 * way, and `count_values` uses the 'f' form as a label value.
 *
 *   formatGoFloat(1e21, 'f')  === '1000000000000000000000'
 *   formatGoFloat(1.5e-7, 'e') === '1.5e-07'      (Go pads the exponent to two digits)
 *   formatGoFloat(-0, 'f')    === '-0'
 */
export function formatGoFloat(v: number, fmt: 'f' | 'e'): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  const abs = Math.abs(v);
  let digits = '0';
  let exp = 0;
  if (abs !== 0) {
    // toExponential() without an argument yields the shortest round-trip digits.
    const s = abs.toExponential();
    const e = s.indexOf('e');
    digits = s.slice(0, e).replace('.', '');
    exp = Number(s.slice(e + 1));
  }
  if (fmt === 'e') {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const expAbs = Math.abs(exp);
    return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${expAbs < 10 ? '0' : ''}${expAbs}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** How Prometheus's HTTP API writes a sample value of a vector or matrix (jsonutil.MarshalValue). */
export function formatSampleValue(v: number): string {
  const abs = Math.abs(v);
  return abs !== 0 && (abs < 1e-6 || abs >= 1e21) ? formatGoFloat(v, 'e') : formatGoFloat(v, 'f');
}

/** How Prometheus's HTTP API writes a scalar result's value (always fixed notation). */
export function formatScalarValue(v: number): string {
  return formatGoFloat(v, 'f');
}

/**
 * Label values for `le` and `quantile` as Prometheus's OTLP translator writes them: Go's
 * `strconv.FormatFloat(v, 'f', -1, 64)`, i.e. the shortest digits that round-trip, never in
 * exponent form. `Number#toString` picks the same digits but switches to exponent form below 1e-6
 * and from 1e21, so those two ranges are expanded here.
 */
export function formatFloatLabel(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value === 0) return 1 / value < 0 ? '-0' : '0';
  const text = String(value);
  const e = text.indexOf('e');
  if (e < 0) return text;
  return expandExponent(text, e);
}

/** `1.5e-7` → `0.00000015`, `1e+21` → `1000000000000000000000`. */
function expandExponent(text: string, e: number): string {
  const negative = text.charCodeAt(0) === 0x2d;
  const mantissa = text.slice(negative ? 1 : 0, e);
  const exponent = Number(text.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  // Position of the decimal point after the first digit, shifted by the exponent.
  const point = (dot < 0 ? mantissa.length : dot) + exponent;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${out}` : out;
}

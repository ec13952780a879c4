/**
 * Lexical pieces of PromQL as Prometheus 2.42 reads them: numbers (Go's ParseInt with base 0,
 * then ParseFloat), durations (prometheus/common model.ParseDuration) and string literals
 * (Go-style escapes; backquoted strings are raw).
 */

const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const DURATION_UNITS_MS = [31_536_000_000, 604_800_000, 86_400_000, 3_600_000, 60_000, 1000, 1];
/** Go's time.Duration is int64 nanoseconds; longer durations do not exist. */
const MAX_DURATION_MS = 9_223_372_036_854;

/**
 * Parses `1h30m`, `5m`, `1d`, `2w`, `1y`, `500ms` (units in this order, each at most once) into
 * milliseconds. Returns an error message instead of throwing so the parser can add a position.
 */
export function parseDuration(text: string): number | string {
  const m = DURATION_RE.exec(text);
  if (text === '' || m === null) return `not a valid duration string: "${text}"`;
  let ms = 0;
  for (let i = 0; i < DURATION_UNITS_MS.length; i++) {
    const group = m[i + 1];
    if (group !== undefined) ms += Number(group) * DURATION_UNITS_MS[i]!;
  }
  if (ms > MAX_DURATION_MS) return `duration out of range: "${text}"`;
  return ms;
}

const DECIMAL_RE = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses a number literal, including an optional sign (lezer includes it in the token), `Inf`,
 * `NaN`, hexadecimal `0x1f` and, as Go's ParseInt with base 0 does, octal `017`.
 * Returns undefined for text that Prometheus 2.42 does not accept as a number (e.g. `5m`).
 */
export function parseNumber(text: string): number | undefined {
  let body = text;
  let sign = 1;
  const first = body.charCodeAt(0);
  if (first === 43 /* + */ || first === 45 /* - */) {
    if (first === 45) sign = -1;
    body = body.slice(1).trimStart();
  }
  const lower = body.toLowerCase();
  if (lower === 'inf') return sign * Infinity;
  if (lower === 'nan') return NaN;
  if (/^0[xX][0-9a-fA-F]+$/.test(body)) return sign * parseInt(body.slice(2), 16);
  if (/^0[0-7]+$/.test(body)) return sign * parseInt(body.slice(1), 8);
  if (DECIMAL_RE.test(body)) return sign * Number(body);
  return undefined;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

/**
 * Unquotes a PromQL string literal written with `"`, `'` or a backquote. Returns the value, or
 * an error message for an unterminated string or a bad escape sequence.
 */
export function unquoteString(text: string): { value: string } | { error: string } {
  const quote = text[0];
  if (text.length < 2 || text[text.length - 1] !== quote) return { error: 'unterminated quoted string' };
  const inner = text.slice(1, -1);
  if (quote === '`') return { value: inner };
  if (!inner.includes('\\')) return { value: inner };
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = inner[++i];
    if (e === undefined) return { error: 'escape sequence not terminated' };
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const hexLength = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const digits = inner.slice(i + 1, i + 1 + hexLength);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(digits)) {
        return { error: `invalid escape sequence \\${e}${digits}` };
      }
      const code = parseInt(digits, 16);
      if (code > 0x10ffff) return { error: `invalid escape sequence \\${e}${digits}` };
      out += e === 'x' ? String.fromCharCode(code) : String.fromCodePoint(code);
      i += hexLength;
      continue;
    }
    if (e >= '0' && e <= '7') {
      const digits = inner.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(digits) || parseInt(digits, 8) > 255) {
        return { error: `invalid escape sequence \\${digits}` };
      }
      out += String.fromCharCode(parseInt(digits, 8));
      i += 2;
      continue;
    }
    return { error: `unknown escape sequence \\${e}` };
  }
  return { value: out };
}

/**
 * Go's strconv.ParseFloat(s, 64) for the forms label values use (`le="0.5"`, `"+Inf"`,
 * `"1e3"`, `"NaN"`); undefined when Go would return an error.
 */
export function parseGoFloat(text: string): number | undefined {
  const m = /^([+-]?)(.*)$/.exec(text)!;
  const sign = m[1] === '-' ? -1 : 1;
  const body = m[2]!.toLowerCase();
  if (body === 'inf' || body === 'infinity') return sign * Infinity;
  if (body === 'nan') return m[1] === '' ? NaN : undefined;
  if (DECIMAL_RE.test(body)) return sign * Number(body);
  return undefined;
}

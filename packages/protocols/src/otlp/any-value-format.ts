/**
 * Rendering of OTLP AnyValue contents as strings, matching the Collector's pcommon
 * `Value.AsString()` so that rows look like those the ClickHouse exporter writes:
 *
 * | kind          | top level (`AsString`)              | nested in an array/kvlist (JSON) |
 * |---------------|-------------------------------------|----------------------------------|
 * | empty         | `''`                                | `null`                           |
 * | string        | as is                               | JSON string, Go escaping         |
 * | bool          | `true` / `false`                    | same                             |
 * | int           | decimal int64                       | same                             |
 * | double        | ES6 number form, `-0` kept          | same; NaN/±Inf fail the document |
 * | bytes         | standard base64                     | base64 in a JSON string          |
 * | array / map   | JSON (Go `encoding/json`)           | same; map keys sorted            |
 *
 * Go's `json.Marshal` fails on NaN and ±Inf and AsString then returns '' for the whole value,
 * so nested fragments are `string | undefined`, undefined meaning "the document fails".
 */

/** A double as pcommon `AsString` renders it at top level. */
export function formatDouble(value: number): string {
  if (Number.isFinite(value)) return formatFiniteDouble(value);
  // Go reports the marshalling error in place of the value; kept verbatim for parity.
  const go = Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
  return `json: unsupported value: ${go}`;
}

/** A double as a JSON fragment, or undefined for NaN/±Inf (which Go's encoder rejects). */
export function jsonDouble(value: number): string | undefined {
  return Number.isFinite(value) ? formatFiniteDouble(value) : undefined;
}

function formatFiniteDouble(value: number): string {
  // Go uses the ES6 algorithm (shortest round-trip, exponent below 1e-6 and from 1e21), so
  // Number#toString matches it exactly, except that Go keeps the sign of negative zero.
  if (value === 0 && 1 / value < 0) return '-0';
  return String(value);
}

const GO_EXTRA_ESCAPES = /[<>&\u2028\u2029]/g;
const GO_EXTRA_ESCAPE_TEST = /[<>&\u2028\u2029]/;

/**
 * A string as a JSON literal the way Go's `encoding/json` writes it: like JSON.stringify, plus
 * HTML-safe escapes for `<`, `>`, `&` and the JS line separators U+2028/U+2029.
 */
export function jsonString(value: string): string {
  const quoted = JSON.stringify(value);
  if (!GO_EXTRA_ESCAPE_TEST.test(quoted)) return quoted;
  return quoted.replace(GO_EXTRA_ESCAPES, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A JSON array of already-rendered fragments; undefined if any fragment failed. */
export function jsonArray(items: readonly (string | undefined)[]): string | undefined {
  for (const item of items) if (item === undefined) return undefined;
  return `[${items.join(',')}]`;
}

/** One key/value pair of a kvlist, the value already rendered as a JSON fragment. */
export interface JsonMember {
  key: string;
  value: string | undefined;
}

/**
 * A JSON object as Go marshals a `map[string]any`: keys sorted by their UTF-8 bytes, and for
 * a key repeated in the kvlist the last value wins (it overwrote the earlier one in the Go map).
 */
export function jsonObject(members: JsonMember[]): string | undefined {
  // Array#sort is stable, so among equal keys the last one in input order stays last.
  members.sort((a, b) => compareUtf8(a.key, b.key));
  let out = '{';
  for (let i = 0; i < members.length; i++) {
    const member = members[i]!;
    const next = members[i + 1];
    if (next !== undefined && next.key === member.key) continue;
    if (member.value === undefined) return undefined;
    if (out.length > 1) out += ',';
    out += jsonString(member.key) + ':' + member.value;
  }
  return out + '}';
}

/**
 * Compares strings by code point, which is the order of their UTF-8 bytes (Go's string order).
 * Plain `<` compares UTF-16 units and misplaces astral characters against U+E000..U+FFFF.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Move surrogates above the rest of the BMP so astral characters sort last.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** Sets `map[key]`, including for the key `__proto__`, which plain assignment would swallow. */
export function setAttribute(map: Record<string, string>, key: string, value: string): void {
  if (key === '__proto__') {
    Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    map[key] = value;
  }
}

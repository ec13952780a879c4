/**
 * Trace and span id helpers. Ids are stored as lowercase hex (what the Collector's ClickHouse
 * exporter writes).
 */

/**
 * Lowercase hex of `bytes[start, end)`. Buffer's native hex encoder is used rather than joining
 * strings from a byte→hex table: measured on Node 20, the table builds a rope of 16 cons-strings
 * per trace id that must be flattened later, and costs about twice as much per id.
 */
export function bytesToHex(bytes: Buffer, start: number, end: number): string {
  return bytes.toString('hex', start, end);
}

/** Whether every byte of `bytes[start, end)` is zero (an invalid trace or span id). */
export function isZeroBytes(bytes: Uint8Array, start: number, end: number): boolean {
  let acc = 0;
  for (let i = start; i < end; i++) acc |= bytes[i]!;
  return acc === 0;
}

/**
 * Validates a hex id of `byteLength` bytes, in either case, and returns it in lowercase; returns
 * undefined when the length is wrong or a character is not a hex digit.
 */
export function normalizeHexId(text: string, byteLength: number): string | undefined {
  if (text.length !== byteLength * 2) return undefined;
  let upper = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66)) continue;
    if (c >= 0x41 && c <= 0x46) {
      upper = true;
      continue;
    }
    return undefined;
  }
  return upper ? text.toLowerCase() : text;
}

/** Whether a hex id consists only of zeros. */
export function isZeroHex(hex: string): boolean {
  for (let i = 0; i < hex.length; i++) if (hex.charCodeAt(i) !== 0x30) return false;
  return true;
}

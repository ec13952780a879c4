/**
 * Column data for the cache tables' Native blocks, on top of @vigil/storage's Native encoders
 * (`NativeWriter` for variable-width data, `NativeBlock` to join the columns):
 *
 *   block  = varUInt(columns) varUInt(rows) (string(name) string(type) data)*
 *
 * Column data: fixed-width numbers little-endian back to back; String = varUInt(bytes) + UTF-8
 * per row; Array(T) and Map(K, V) = cumulative UInt64 end offsets per row, then the flattened
 * elements (a Map's keys, then its values). The points block is the hot one (up to ~10^6 rows per
 * refresh): its numeric columns are typed arrays filled in place and appended without copying.
 */
import { NativeWriter } from '@vigil/storage';

/** String column data whose rows come in runs: `runs[i]` repeated `counts[i]` times. */
export function stringRunsColumn(runs: readonly string[], counts: readonly number[]): Buffer {
  const pieces: Buffer[] = [];
  runs.forEach((text, i) => {
    const one = new NativeWriter(text.length * 3 + 10);
    one.string(text);
    const bytes = one.finish();
    // fill() repeats the encoded string across the run in native code.
    pieces.push(Buffer.allocUnsafe(bytes.length * counts[i]!).fill(bytes));
  });
  return Buffer.concat(pieces);
}

/**
 * UInt64 / Int64 / DateTime64(3) column data from non-negative safe integers (53-bit hashes,
 * millisecond timestamps): two little-endian 32-bit halves per value, no BigInt per row.
 */
export function int64Column(values: ArrayLike<number>, length = values.length): Uint32Array {
  const out = new Uint32Array(length * 2);
  for (let i = 0; i < length; i++) {
    const v = values[i]!;
    out[2 * i] = v % 0x1_0000_0000;
    out[2 * i + 1] = Math.floor(v / 0x1_0000_0000);
  }
  return out;
}

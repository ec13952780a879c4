/**
 * Reads ClickHouse `FORMAT Native` output made of fixed-width columns (UInt64, Float64) into
 * one typed array per column, across all blocks:
 *
 *   block = varUInt(columns) varUInt(rows) (string(name) string(type) rows × width bytes)*
 *
 * Column data is copied once into aligned arrays (a block's data may start at any offset),
 * which is the whole cost of decoding: no per-value work, unlike RowBinary's per-row reads.
 */
import { AppError } from '@vigil/core';

const WIDTH: Readonly<Record<string, number>> = { UInt64: 8, Float64: 8 };

function malformed(what: string): AppError {
  return new AppError('internal', `unexpected Native result: ${what}`, { expose: false });
}

export interface NativeColumns {
  readonly rows: number;
  /** Raw 8-byte values per column, in SELECT order (read as Float64Array or BigUint64Array). */
  readonly columns: readonly ArrayBuffer[];
}

export function readNativeColumns(buf: Buffer, expected: readonly string[]): NativeColumns {
  let pos = 0;
  const varUInt = (): number => {
    let result = 0;
    let factor = 1;
    for (;;) {
      if (pos >= buf.length) throw malformed('ends inside a number');
      const byte = buf[pos++]!;
      result += (byte & 0x7f) * factor;
      if (byte < 0x80) return result;
      factor *= 128;
    }
  };
  const string = (): string => {
    const n = varUInt();
    if (pos + n > buf.length) throw malformed('ends inside a name');
    const s = buf.toString('latin1', pos, pos + n);
    pos += n;
    return s;
  };
  // First pass: block layout, so each column is allocated once.
  const blocks: Array<{ rows: number; offsets: number[] }> = [];
  let rows = 0;
  while (pos < buf.length) {
    const columnCount = varUInt();
    const blockRows = varUInt();
    if (columnCount !== expected.length)
      throw malformed(`${columnCount} columns, expected ${expected.length}`);
    const offsets: number[] = [];
    for (let c = 0; c < columnCount; c++) {
      string(); // name
      const type = string();
      if (type !== expected[c]) throw malformed(`column ${c} is ${type}, expected ${expected[c]}`);
      const bytes = blockRows * WIDTH[type]!;
      if (pos + bytes > buf.length) throw malformed('ends inside column data');
      offsets.push(pos);
      pos += bytes;
    }
    blocks.push({ rows: blockRows, offsets });
    rows += blockRows;
  }
  const columns = expected.map((type) => new ArrayBuffer(rows * WIDTH[type]!));
  let at = 0;
  for (const block of blocks) {
    block.offsets.forEach((offset, c) => {
      const width = WIDTH[expected[c]!]!;
      new Uint8Array(columns[c]!, at * width, block.rows * width).set(
        buf.subarray(offset, offset + block.rows * width),
      );
    });
    at += block.rows;
  }
  return { rows, columns };
}

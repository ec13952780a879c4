/**
 * Reads ClickHouse `FORMAT Native` output made of fixed-width columns (UInt8, UInt32, UInt64,
 * Float64)
 * and `Array(Float64)` columns into one typed array per column, across all blocks:
 *
 *   block  = varUInt(columns) varUInt(rows) column*
 *   column = string(name) string(type) data
 *   data   = rows × width bytes                                  (fixed width)
 *          | rows × UInt64 end offsets, then offsets[rows-1] × 8 bytes of values  (Array(Float64))
 *
 * Column data is copied once into aligned arrays (a block's data may start at any offset),
 * which is the whole cost of decoding: no per-value work, unlike RowBinary's per-row reads.
 * An array column's end offsets are rebased across blocks, so row r's values are
 * `values[ends[r-1] .. ends[r])` of the whole result.
 */
import { AppError } from '@vigil/core';

const WIDTH: Readonly<Record<string, number>> = { UInt8: 1, UInt32: 4, UInt64: 8, Float64: 8 };
const FLOAT_ARRAY = 'Array(Float64)';

function malformed(what: string): AppError {
  return new AppError('internal', `unexpected Native result: ${what}`, { expose: false });
}

export interface NativeColumns {
  readonly rows: number;
  /**
   * Raw values per column, in SELECT order (read as Uint32Array, Float64Array or
   * BigUint64Array). For an `Array(Float64)` column: its end offsets as Float64 values, one
   * per row.
   */
  readonly columns: readonly ArrayBuffer[];
  /** The values of each `Array(Float64)` column (by column index), all rows concatenated. */
  readonly arrayValues: ReadonlyMap<number, Float64Array>;
}

interface BlockColumn {
  offset: number;
  /** Array columns: where the values start and how many there are. */
  valuesOffset: number;
  valueCount: number;
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
  const blocks: Array<{ rows: number; columns: BlockColumn[] }> = [];
  let rows = 0;
  const valueTotals = expected.map(() => 0);
  while (pos < buf.length) {
    const columnCount = varUInt();
    const blockRows = varUInt();
    if (columnCount !== expected.length)
      throw malformed(`${columnCount} columns, expected ${expected.length}`);
    const columns: BlockColumn[] = [];
    for (let c = 0; c < columnCount; c++) {
      string(); // name
      const type = string();
      if (type !== expected[c]) throw malformed(`column ${c} is ${type}, expected ${expected[c]}`);
      const bytes = blockRows * (type === FLOAT_ARRAY ? 8 : WIDTH[type]!);
      if (pos + bytes > buf.length) throw malformed('ends inside column data');
      const column: BlockColumn = { offset: pos, valuesOffset: 0, valueCount: 0 };
      pos += bytes;
      if (type === FLOAT_ARRAY && blockRows > 0) {
        // The last end offset is the block's value count (UInt64, small enough for a double).
        const count = buf.readUInt32LE(pos - 8) + buf.readUInt32LE(pos - 4) * 0x1_0000_0000;
        if (pos + count * 8 > buf.length) throw malformed('ends inside array values');
        column.valuesOffset = pos;
        column.valueCount = count;
        valueTotals[c]! += count;
        pos += count * 8;
      }
      columns.push(column);
    }
    blocks.push({ rows: blockRows, columns });
    rows += blockRows;
  }
  const columns = expected.map((type) => new ArrayBuffer(rows * (type === FLOAT_ARRAY ? 8 : WIDTH[type]!)));
  const arrayValues = new Map<number, Float64Array>();
  expected.forEach((type, c) => {
    if (type === FLOAT_ARRAY) arrayValues.set(c, new Float64Array(valueTotals[c]!));
  });
  const valuesAt = expected.map(() => 0);
  let at = 0;
  for (const block of blocks) {
    block.columns.forEach((column, c) => {
      const type = expected[c]!;
      if (type !== FLOAT_ARRAY) {
        const width = WIDTH[type]!;
        new Uint8Array(columns[c]!, at * width, block.rows * width).set(
          buf.subarray(column.offset, column.offset + block.rows * width),
        );
        return;
      }
      const ends = new Float64Array(columns[c]!, at * 8, block.rows);
      const base = valuesAt[c]!;
      // The UInt64 offsets, copied aligned and read as 32-bit halves.
      const words = new Uint32Array(block.rows * 2);
      new Uint8Array(words.buffer).set(buf.subarray(column.offset, column.offset + block.rows * 8));
      for (let r = 0; r < block.rows; r++) ends[r] = base + words[2 * r]! + words[2 * r + 1]! * 0x1_0000_0000;
      const values = arrayValues.get(c)!;
      new Uint8Array(values.buffer, base * 8, column.valueCount * 8).set(
        buf.subarray(column.valuesOffset, column.valuesOffset + column.valueCount * 8),
      );
      valuesAt[c] = base + column.valueCount;
    });
    at += block.rows;
  }
  return { rows, columns, arrayValues };
}

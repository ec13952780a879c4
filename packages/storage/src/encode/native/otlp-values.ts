/**
 * Pieces shared by the OTLP/protobuf → Native decoders (logs-otlp.ts, spans-otlp.ts): AnyValue
 * and attribute lists written straight into column streams, and the resource/scope values every
 * record of a ScopeLogs/ScopeSpans repeats, encoded once.
 *
 * Values equal what the record decoders of @vigil/protocols produce and the record encoders
 * write: a string AnyValue is copied as bytes; every other kind goes through the protocols
 * package's `readAnyValueString` (the exporter's AsString form), so both paths share one
 * definition of the flattening.
 */
import {
  ANY_ARRAY,
  ANY_BOOL,
  ANY_BYTES,
  ANY_DOUBLE,
  ANY_INT,
  ANY_KVLIST,
  ANY_STRING,
  KV_KEY,
  isZeroBytes,
  KV_VALUE,
  readAnyValueString,
  readAttribute,
  type AttributeMap,
  type ProtoReader,
} from '@vigil/protocols';
import { OffsetsBuilder, type NativeChunk } from './chunk.ts';
import { MapColumn } from './columns.ts';
import { NativeWriter } from './writer.ts';

// Which AnyValue member came last.
const NONE = 0;
const STRING = 1;
const INT = 2;
const OTHER = 3;

/** Buffers that grew past this for a huge request are let go when a decoder is reset. */
const KEEP_BYTES = 8 * 1024 * 1024;

/**
 * Empties every writer, map column and offsets builder held in a field of `columns` (a decoder's
 * reused column set), so a column added to such a set is never left holding the last request's
 * rows.
 */
export function resetColumns(columns: object): void {
  for (const value of Object.values(columns)) {
    if (value instanceof NativeWriter || value instanceof MapColumn) value.reset(KEEP_BYTES);
    else if (value instanceof OffsetsBuilder) value.reset();
  }
}

/**
 * Runs a column decoder (`direct`) and, should it throw, the record path (`viaRecords`), whose
 * decoder throws the precise DecodeError (field path, offset) for a bad body. A body the record
 * decoder reads after all is stored from its records and reported through `onRescued` (a
 * self-metric: each one is a column-decoder bug).
 */
export function decodeWithRescue(
  body: Uint8Array,
  direct: (body: Uint8Array) => NativeChunk,
  viaRecords: (body: Uint8Array) => NativeChunk,
  onRescued: (() => void) | undefined,
): NativeChunk {
  try {
    return direct(body);
  } catch {
    const chunk = viaRecords(body);
    onRescued?.();
    return chunk;
  }
}

/**
 * Writes the AnyValue whose length prefix is at `at` (or '' when `at` < 0) as one String.
 * Leaves the reader's position and limit as they were.
 */
export function writeAnyValue(r: ProtoReader, at: number, out: NativeWriter): void {
  if (at < 0) {
    out.varUInt(0);
    return;
  }
  const pos = r.pos;
  const limit = r.limit;
  r.pos = at;
  const outer = r.enter();
  // Protobuf's oneof rule: the last member on the wire wins.
  let last = NONE;
  let stringStart = -1;
  let stringEnd = -1;
  let intLow = 0;
  let intHigh = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === ANY_STRING) {
      stringStart = r.lengthDelimited();
      stringEnd = r.pos;
      last = STRING;
    } else if (tag === ANY_INT) {
      r.varint64();
      intLow = r.lo;
      intHigh = r.hi;
      last = INT;
    } else {
      if (
        tag === ANY_BOOL ||
        tag === ANY_DOUBLE ||
        tag === ANY_ARRAY ||
        tag === ANY_KVLIST ||
        tag === ANY_BYTES
      )
        last = OTHER;
      r.skip(tag);
    }
  }
  r.leave(outer);
  if (last === STRING) out.utf8(r.buf, stringStart, stringEnd);
  else if (last === NONE) out.varUInt(0);
  else if (last === INT && intHigh < 0x200000) {
    // Non-negative below 2^53 (status codes, sizes, ports): the digits, without a string.
    out.decimal(intHigh * 0x1_0000_0000 + intLow);
  } else {
    r.pos = at;
    out.string(readAnyValueString(r));
  }
  r.pos = pos;
  r.limit = limit;
}

/**
 * A `Map(String, String)` column built attribute by attribute from KeyValue messages.
 * A record whose list repeats a key is rewritten through the record decoder's map, where the
 * later value wins in the first one's place (the protocols package's rule).
 */
export class AttributeColumn extends MapColumn {
  // Key ranges of the row being read and a cheap signature of each, for the duplicate check.
  #keyStarts = new Int32Array(64);
  #keyEnds = new Int32Array(64);
  #keySigns = new Int32Array(64);
  #count = 0;
  #duplicate = false;
  #keysMark = 0;
  #valuesMark = 0;

  /** Starts a row. */
  begin(): void {
    this.#count = 0;
    this.#duplicate = false;
    this.#keysMark = -1;
  }

  /** Adds the KeyValue whose tag was just read. */
  add(r: ProtoReader): void {
    const outer = r.enter();
    let keyStart = 0;
    let keyEnd = 0;
    let valueAt = -1;
    while (r.pos < r.limit) {
      const tag = r.tag();
      if (tag === KV_KEY) {
        keyStart = r.lengthDelimited();
        keyEnd = r.pos;
      } else if (tag === KV_VALUE) {
        valueAt = r.pos;
        r.lengthDelimited();
      } else r.skip(tag);
    }
    r.leave(outer);
    if (this.#duplicate) return;
    const n = this.#count;
    const buf = r.buf;
    const length = keyEnd - keyStart;
    // Length and three bytes: distinct keys of one record almost never share it, so bytes are
    // compared only for real duplicates (the plain byte loop was 15% of span decoding).
    const sign =
      length === 0
        ? 0
        : (length << 24) ^ (buf[keyStart]! << 16) ^ (buf[keyEnd - 1]! << 8) ^ buf[keyStart + (length >> 1)]!;
    const signs = this.#keySigns;
    for (let j = 0; j < n; j++) {
      if (signs[j] !== sign) continue;
      const start = this.#keyStarts[j]!;
      if (this.#keyEnds[j]! - start !== length) continue;
      let same = true;
      for (let k = 0; k < length; k++) {
        if (buf[start + k] !== buf[keyStart + k]) {
          same = false;
          break;
        }
      }
      if (same) {
        this.#duplicate = true;
        return;
      }
    }
    if (n === 0) {
      this.#keysMark = this.keys.length;
      this.#valuesMark = this.values.length;
    }
    if (n === this.#keyStarts.length) {
      this.#keyStarts = grow(this.#keyStarts);
      this.#keyEnds = grow(this.#keyEnds);
      this.#keySigns = grow(this.#keySigns);
    }
    this.#keyStarts[n] = keyStart;
    this.#keyEnds[n] = keyEnd;
    this.#keySigns[n] = sign;
    this.#count = n + 1;
    this.keys.utf8(buf, keyStart, keyEnd);
    writeAnyValue(r, valueAt, this.values);
  }

  /**
   * Ends the row. With a repeated key, `reread(into)` must decode the row's attributes again
   * into a map with the record decoder's rules; the row is then written from that map.
   */
  end(reread: (into: AttributeMap) => void): void {
    if (!this.#duplicate) {
      this.ends.add(this.#count);
      return;
    }
    if (this.#keysMark >= 0) {
      this.keys.truncate(this.#keysMark);
      this.values.truncate(this.#valuesMark);
    }
    const map: AttributeMap = {};
    reread(map);
    let count = 0;
    for (const key in map) {
      this.keys.string(key);
      this.values.string(map[key]!);
      count++;
    }
    this.ends.add(count);
  }
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const next = new Int32Array(a.length * 2);
  next.set(a);
  return next;
}

/** Reads the KeyValue fields tagged `attributeTag` of the message [start, limit) into `into`. */
export function rereadAttributes(
  r: ProtoReader,
  start: number,
  limit: number,
  attributeTag: number,
  into: AttributeMap,
): void {
  const pos = r.pos;
  const outerLimit = r.limit;
  r.pos = start;
  r.limit = limit;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === attributeTag) readAttribute(r, into);
    else r.skip(tag);
  }
  r.pos = pos;
  r.limit = outerLimit;
}

const INT64_MAX_HIGH = 0x7fffffff;

/**
 * A DateTime64(9) from the fixed64 nanoseconds at `at` in `buf` (0 when `at` < 0, the field
 * absent); values past Int64 clamp to its maximum, as on the record path.
 */
export function writeTime(out: NativeWriter, buf: Buffer, at: number): void {
  if (at < 0) return out.int64Halves(0, 0);
  const high = buf.readUInt32LE(at + 4);
  if (high > INT64_MAX_HIGH) out.int64Halves(0xffffffff, INT64_MAX_HIGH);
  else out.int64Halves(buf.readUInt32LE(at), high);
}

/** An optional id (trace, span, parent, link) as lowercase hex; empty and all-zero ids as ''. */
export function writeOptionalId(out: NativeWriter, buf: Buffer, start: number, end: number): void {
  if (isZeroBytes(buf, start, end)) out.varUInt(0);
  else out.hex(buf, start, end);
}

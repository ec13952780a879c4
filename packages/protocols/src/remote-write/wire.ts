/**
 * Wire-level pieces both remote write decoders share: per-message field tables (so a known field
 * sent with the wrong wire type is an error rather than silently skipped, as Prometheus's own
 * gogo-generated decoder does), int64 timestamps as numbers, and the Sample message, whose field
 * numbers are the same in 1.0 (`prometheus.Sample`) and 2.0 (`io.prometheus.write.v2.Sample`).
 */
import { isStaleNaNAt } from '../metrics/records.ts';
import { fieldTag, WireType, type ProtoReader } from '../protobuf/reader.ts';

export const LEN = WireType.lengthDelimited;
export const VARINT = WireType.varint;
export const I64 = WireType.fixed64;

const WIRE_TYPE_NAMES = ['varint', 'fixed64', 'length-delimited', 'start-group', 'end-group', 'fixed32'];

/** The fields a decoder knows in one message: name (for error paths) and wire type, by number. */
export interface MessageFields {
  readonly names: readonly (string | undefined)[];
  readonly wireTypes: readonly (number | undefined)[];
}

/** Builds a {@link MessageFields} table from `[fieldNumber, name, wireType]` rows. */
export function messageFields(rows: readonly (readonly [number, string, number])[]): MessageFields {
  const names: (string | undefined)[] = [];
  const wireTypes: (number | undefined)[] = [];
  for (const [number, name, wireType] of rows) {
    names[number] = name;
    wireTypes[number] = wireType;
  }
  return { names, wireTypes };
}

/**
 * Handles a tag the decoder's `switch` did not match: an unknown field, or a known one the
 * decoder does not read, is skipped (forward compatibility); a known field with the wrong wire
 * type is rejected.
 */
export function skipField(r: ProtoReader, tag: number, fields: MessageFields): void {
  const number = tag >>> 3;
  const expected = fields.wireTypes[number];
  const got = tag & 7;
  if (expected !== undefined && expected !== got) {
    const name = fields.names[number] ?? String(number);
    r.fail(
      `wrong wire type for ${name}: got ${WIRE_TYPE_NAMES[got] ?? 'invalid'} (${got}), expected ` +
        `${WIRE_TYPE_NAMES[expected]} (${expected})`,
      name,
    );
  }
  r.skip(tag);
}

/**
 * An int64 varint left by `ProtoReader.varint64` as a number: the signed high word times 2^32
 * plus the unsigned low word is the two's complement value, exact below 2^53 in magnitude
 * (millisecond timestamps up to year 285 000).
 */
export const int64ToNumber = (lo: number, hi: number): number => (hi | 0) * 0x100000000 + lo;

const SAMPLE_VALUE = fieldTag(1, I64);
const SAMPLE_TIMESTAMP = fieldTag(2, VARINT);
const SAMPLE_FIELDS = messageFields([
  [1, 'value', I64],
  [2, 'timestamp', VARINT],
  // 2.0 only (start_timestamp): not kept, but a wrong wire type is still an error.
  [3, 'startTimestamp', VARINT],
]);

/** Where {@link scanSample} leaves what it read. */
export interface SampleScan {
  /** Offset of the value's 8 bytes in the body, -1 when absent (proto3: 0). */
  valueAt: number;
  timestampMs: number;
}

/** Reads one embedded Sample message into `out` (absent fields are proto3 zeros). */
export function scanSample(r: ProtoReader, out: SampleScan): void {
  const outer = r.enter();
  out.valueAt = -1;
  out.timestampMs = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === SAMPLE_VALUE) out.valueAt = r.fixed64Offset();
    else if (tag === SAMPLE_TIMESTAMP) {
      r.varint64();
      out.timestampMs = int64ToNumber(r.lo, r.hi);
    } else skipField(r, tag, SAMPLE_FIELDS);
  }
  r.leave(outer);
}

const scan: SampleScan = { valueAt: -1, timestampMs: 0 };

/**
 * Reads one embedded Sample and appends it to the series' arrays. Returns true when the value's
 * raw bits are the staleness marker, which a double read back from the view may not preserve.
 */
export function readSample(r: ProtoReader, timestampsMs: number[], values: number[]): boolean {
  scanSample(r, scan);
  timestampsMs.push(scan.timestampMs);
  if (scan.valueAt < 0) {
    values.push(0);
    return false;
  }
  values.push(r.view.getFloat64(scan.valueAt, true));
  return isStaleNaNAt(r.buf, scan.valueAt);
}

/**
 * Data point messages of metrics.proto (NumberDataPoint, HistogramDataPoint, SummaryDataPoint
 * and their KeyValue attributes), read from the wire and handed to the {@link SeriesBuilder}.
 * Each reader is called right after its data_points tag; field numbers are those of
 * metrics.proto.
 */
import type { ProtoReader } from '../protobuf/reader.ts';
import { fieldTag, WireType } from '../protobuf/reader.ts';
import { isStaleNaNAt } from '../metrics/records.ts';
import { readAnyValueString } from '../otlp/common-protobuf.ts';
import { AttributeList } from './label-set.ts';
import type { HistogramValues, SummaryValues } from './metric-model.ts';
import type { SeriesBuilder } from './series-builder.ts';
import { fixed64NanosToMs } from './unix-ms.ts';

const LEN = WireType.lengthDelimited;
const VARINT = WireType.varint;
const I64 = WireType.fixed64;

const POINT_TIME = fieldTag(3, I64); // time_unix_nano, the same in every point message
const NUMBER_AS_DOUBLE = fieldTag(4, I64);
const NUMBER_EXEMPLARS = fieldTag(5, LEN);
const NUMBER_AS_INT = fieldTag(6, I64); // sfixed64
const NUMBER_ATTRIBUTES = fieldTag(7, LEN);
const NUMBER_FLAGS = fieldTag(8, VARINT);

const HISTOGRAM_COUNT = fieldTag(4, I64);
const HISTOGRAM_SUM = fieldTag(5, I64);
const HISTOGRAM_BUCKET_COUNTS_PACKED = fieldTag(6, LEN);
const HISTOGRAM_BUCKET_COUNT = fieldTag(6, I64);
const HISTOGRAM_BOUNDS_PACKED = fieldTag(7, LEN);
const HISTOGRAM_BOUND = fieldTag(7, I64);
const HISTOGRAM_EXEMPLARS = fieldTag(8, LEN);
const HISTOGRAM_ATTRIBUTES = fieldTag(9, LEN);
const HISTOGRAM_FLAGS = fieldTag(10, VARINT);

const SUMMARY_COUNT = fieldTag(4, I64);
const SUMMARY_SUM = fieldTag(5, I64);
const SUMMARY_QUANTILE_VALUES = fieldTag(6, LEN);
const SUMMARY_ATTRIBUTES = fieldTag(7, LEN);
const SUMMARY_FLAGS = fieldTag(8, VARINT);
const QUANTILE_QUANTILE = fieldTag(1, I64);
const QUANTILE_VALUE = fieldTag(2, I64);

const KV_KEY = fieldTag(1, LEN);
const KV_VALUE = fieldTag(2, LEN);

/** DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK. */
const NO_RECORDED_VALUE = 1;

/** Per-request scratch objects, refilled for every point instead of allocated. */
export class PointScratch {
  readonly attributes = new AttributeList();
  /** Byte ranges of the KeyValue, and of its key, last decoded at each attribute position. */
  readonly keyValueStart: number[] = [];
  readonly keyValueEnd: number[] = [];
  readonly keyStart: number[] = [];
  readonly keyEnd: number[] = [];
  readonly histogram: HistogramValues = {
    count: 0,
    hasSum: false,
    sum: 0,
    bounds: [],
    boundCount: 0,
    bucketCounts: [],
    bucketCount: 0,
  };
  readonly summary: SummaryValues = { count: 0, sum: 0, quantiles: [], quantileValues: [], quantileCount: 0 };
}

/** Whether bytes [aStart, aEnd) and [bStart, bStart + aEnd - aStart) of `buf` are equal. */
function sameBytes(buf: Buffer, aStart: number, aEnd: number, bStart: number): boolean {
  for (let i = aStart, j = bStart; i < aEnd; i++, j++) if (buf[i] !== buf[j]) return false;
  return true;
}

/**
 * Reads one KeyValue of a data point into the list (duplicates kept, as Prometheus sees them).
 * Points of a metric mostly repeat their attribute keys, and often values, in the same order:
 * when the bytes of the KeyValue (or of its key) equal those last decoded at the same position,
 * the strings decoded then are reused. The list keeps them at that position after clear().
 */
function readAttributeField(r: ProtoReader, scratch: PointScratch): void {
  const { attributes, keyValueStart, keyValueEnd, keyStart, keyEnd } = scratch;
  const index = attributes.length;
  const buf = r.buf;
  const start = r.lengthDelimited();
  const end = r.pos;
  const previousStart = keyValueStart[index];
  if (previousStart !== undefined && keyValueEnd[index]! - previousStart === end - start) {
    if (sameBytes(buf, start, end, previousStart)) {
      attributes.push(attributes.keys[index]!, attributes.values[index]!);
      return;
    }
  }
  keyValueStart[index] = start;
  keyValueEnd[index] = end;
  r.pos = start;
  r.path.push('attributes', index);
  const outer = r.limit;
  r.limit = end;
  let key = '';
  let value = '';
  const previousKeyStart = keyStart[index] ?? -1;
  // Without a key field the key is '', which the cached key bytes no longer describe.
  keyStart[index] = -1;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === KV_KEY) {
      const tagEnd = r.pos;
      const from = r.lengthDelimited();
      if (
        previousKeyStart >= 0 &&
        keyEnd[index]! - previousKeyStart === r.pos - from &&
        sameBytes(buf, from, r.pos, previousKeyStart)
      ) {
        key = attributes.keys[index]!;
        keyStart[index] = previousKeyStart;
      } else {
        r.pos = tagEnd;
        key = r.string();
        keyStart[index] = from;
        keyEnd[index] = r.pos;
      }
    } else if (tag === KV_VALUE) {
      r.path.push('value');
      value = readAnyValueString(r);
      r.path.pop();
    } else r.skip(tag);
  }
  r.leave(outer);
  r.path.pop();
  attributes.push(key, value);
}

export function readNumberPoint(r: ProtoReader, b: SeriesBuilder, scratch: PointScratch): void {
  const outer = r.enter();
  const attributes = scratch.attributes;
  attributes.clear();
  let timeAt = -1;
  let valueAt = -1;
  let isInt = false;
  let flags = 0;
  let exemplars = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case NUMBER_ATTRIBUTES:
        readAttributeField(r, scratch);
        break;
      case POINT_TIME:
        timeAt = r.fixed64Offset();
        break;
      case NUMBER_AS_DOUBLE:
        valueAt = r.fixed64Offset();
        isInt = false;
        break;
      case NUMBER_AS_INT:
        valueAt = r.fixed64Offset();
        isInt = true;
        break;
      case NUMBER_EXEMPLARS:
        r.lengthDelimited();
        exemplars++;
        break;
      case NUMBER_FLAGS:
        flags = r.uint32();
        break;
      default:
        r.skip(tag);
    }
  }
  r.leave(outer);
  const view = r.view;
  let value = 0;
  // A double that already is Prometheus's staleness marker stays one (its NaN payload would be
  // lost once it is a JS number).
  let stale = (flags & NO_RECORDED_VALUE) !== 0;
  if (valueAt >= 0) {
    if (isInt) value = view.getInt32(valueAt + 4, true) * 0x100000000 + view.getUint32(valueAt, true);
    else {
      value = view.getFloat64(valueAt, true);
      stale ||= isStaleNaNAt(r.buf, valueAt);
    }
  }
  if (exemplars > 0) b.dropExemplars(exemplars);
  b.numberPoint(attributes, timeAt < 0 ? 0 : fixed64NanosToMs(view, timeAt), value, stale);
}

function uint64At(view: DataView, offset: number): number {
  return view.getUint32(offset + 4, true) * 0x100000000 + view.getUint32(offset, true);
}

/** Appends the fixed64/double elements of a packed field; returns the new element count. */
function readPacked(
  r: ProtoReader,
  into: number[],
  count: number,
  leaf: string,
  read: (view: DataView, offset: number) => number,
): number {
  const start = r.lengthDelimited();
  if ((r.pos - start) % 8 !== 0)
    r.fail(`packed ${leaf} is ${r.pos - start} bytes, not a multiple of 8`, leaf, start);
  for (let offset = start; offset < r.pos; offset += 8) into[count++] = read(r.view, offset);
  return count;
}

const doubleAt = (view: DataView, offset: number): number => view.getFloat64(offset, true);

export function readHistogramPoint(r: ProtoReader, b: SeriesBuilder, scratch: PointScratch): void {
  const outer = r.enter();
  const { attributes, histogram: h } = scratch;
  attributes.clear();
  h.count = 0;
  h.hasSum = false;
  h.sum = 0;
  h.boundCount = 0;
  h.bucketCount = 0;
  let timeAt = -1;
  let flags = 0;
  let exemplars = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case HISTOGRAM_ATTRIBUTES:
        readAttributeField(r, scratch);
        break;
      case POINT_TIME:
        timeAt = r.fixed64Offset();
        break;
      case HISTOGRAM_COUNT:
        h.count = uint64At(r.view, r.fixed64Offset());
        break;
      case HISTOGRAM_SUM:
        h.hasSum = true;
        h.sum = r.double();
        break;
      case HISTOGRAM_BUCKET_COUNTS_PACKED:
        h.bucketCount = readPacked(r, h.bucketCounts, h.bucketCount, 'bucketCounts', uint64At);
        break;
      case HISTOGRAM_BUCKET_COUNT:
        h.bucketCounts[h.bucketCount++] = uint64At(r.view, r.fixed64Offset());
        break;
      case HISTOGRAM_BOUNDS_PACKED:
        h.boundCount = readPacked(r, h.bounds, h.boundCount, 'explicitBounds', doubleAt);
        break;
      case HISTOGRAM_BOUND:
        h.bounds[h.boundCount++] = r.double();
        break;
      case HISTOGRAM_EXEMPLARS:
        r.lengthDelimited();
        exemplars++;
        break;
      case HISTOGRAM_FLAGS:
        flags = r.uint32();
        break;
      default:
        r.skip(tag);
    }
  }
  r.leave(outer);
  if (exemplars > 0) b.dropExemplars(exemplars);
  const timeMs = timeAt < 0 ? 0 : fixed64NanosToMs(r.view, timeAt);
  b.histogramPoint(attributes, timeMs, h, (flags & NO_RECORDED_VALUE) !== 0);
}

export function readSummaryPoint(r: ProtoReader, b: SeriesBuilder, scratch: PointScratch): void {
  const outer = r.enter();
  const { attributes, summary: s } = scratch;
  attributes.clear();
  s.count = 0;
  s.sum = 0;
  s.quantileCount = 0;
  let timeAt = -1;
  let flags = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case SUMMARY_ATTRIBUTES:
        readAttributeField(r, scratch);
        break;
      case POINT_TIME:
        timeAt = r.fixed64Offset();
        break;
      case SUMMARY_COUNT:
        s.count = uint64At(r.view, r.fixed64Offset());
        break;
      case SUMMARY_SUM:
        s.sum = r.double();
        break;
      case SUMMARY_QUANTILE_VALUES:
        r.path.push('quantileValues', s.quantileCount);
        readQuantile(r, s);
        r.path.pop();
        break;
      case SUMMARY_FLAGS:
        flags = r.uint32();
        break;
      default:
        r.skip(tag);
    }
  }
  r.leave(outer);
  const timeMs = timeAt < 0 ? 0 : fixed64NanosToMs(r.view, timeAt);
  b.summaryPoint(attributes, timeMs, s, (flags & NO_RECORDED_VALUE) !== 0);
}

function readQuantile(r: ProtoReader, s: SummaryValues): void {
  const outer = r.enter();
  let quantile = 0;
  let value = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === QUANTILE_QUANTILE) quantile = r.double();
    else if (tag === QUANTILE_VALUE) value = r.double();
    else r.skip(tag);
  }
  r.leave(outer);
  s.quantiles[s.quantileCount] = quantile;
  s.quantileValues[s.quantileCount] = value;
  s.quantileCount++;
}

/**
 * OTLP/protobuf ExportTraceServiceRequest → one chunk of `otel_traces` column streams, the span
 * counterpart of logs-otlp.ts (read that first): no SpanRecord, attribute object or string per
 * field; strings are copied from the body, ids hex-encoded into their column, events and links
 * written straight into the Nested columns, resource and scope values encoded once per ScopeSpans.
 *
 * The result is byte for byte what `spanChunkFromRecords(decodeTracesProtobuf(body))` gives
 * (spans-otlp.test.ts), except that attribute keys keep their wire order. A body this decoder
 * stumbles over is decoded again by `decodeTracesProtobuf`, whose DecodeError the client gets.
 */
import {
  decodeTracesProtobuf,
  EVENT_ATTRIBUTES,
  EVENT_NAME,
  EVENT_TIME,
  isZeroBytes,
  LINK_ATTRIBUTES,
  LINK_SPAN_ID,
  LINK_TRACE_ID,
  LINK_TRACE_STATE,
  ProtoReader,
  readResource,
  readScope,
  REQUEST_RESOURCE_SPANS,
  RESOURCE_SPANS_RESOURCE,
  RESOURCE_SPANS_SCOPE_SPANS,
  SCOPE_SPANS_SCOPE,
  SCOPE_SPANS_SPANS,
  SPAN_ATTRIBUTES,
  SPAN_END_TIME,
  SPAN_EVENTS,
  SPAN_KIND,
  SPAN_LINKS,
  SPAN_NAME,
  SPAN_PARENT_SPAN_ID,
  SPAN_SPAN_ID,
  SPAN_START_TIME,
  SPAN_STATUS,
  SPAN_TRACE_ID,
  SPAN_TRACE_STATE,
  STATUS_CODE,
  STATUS_MESSAGE,
  type AttributeMap,
  type ScopeFields,
} from '@vigil/protocols';
import { compactChunk, OffsetsBuilder, type NativeChunk } from './chunk.ts';
import { encodedMap, encodedString, MapColumn } from './columns.ts';
import {
  AttributeColumn,
  decodeWithRescue,
  rereadAttributes,
  resetColumns,
  writeOptionalId,
  writeTime,
} from './otlp-values.ts';
import { spanChunkFromRecords } from './spans.ts';
import { NativeWriter } from './writer.ts';

// The exporter's names (traceutil.SpanKindStr, StatusCodeStr), pre-encoded; unknown numbers are
// stored as the first, as the record path does.
const KIND_NAMES = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'].map(encodedString);
const STATUS_NAMES = ['Unset', 'Ok', 'Error'].map(encodedString);

const TWO_32 = 0x1_0000_0000;
const UINT64_MAX_DOUBLE = 2 ** 64 - 2048;

/** Resource and scope values of one ScopeSpans, encoded once. */
interface Shared {
  serviceName: Buffer;
  resourceAttributes: ReturnType<typeof encodedMap>;
  scopeName: Buffer;
  scopeVersion: Buffer;
}

/** The column streams being filled, in SPAN_COLUMNS order; reused from request to request. */
class SpanColumns {
  rows = 0;
  readonly timestamp = new NativeWriter(64 * 1024);
  readonly traceId = new NativeWriter(64 * 1024);
  readonly spanId = new NativeWriter(64 * 1024);
  readonly parentSpanId = new NativeWriter(64 * 1024);
  readonly traceState = new NativeWriter(4096);
  readonly spanName = new NativeWriter(64 * 1024);
  readonly spanKind = new NativeWriter(64 * 1024);
  readonly serviceName = new NativeWriter(64 * 1024);
  readonly resourceAttributes = new MapColumn(64 * 1024);
  readonly scopeName = new NativeWriter(64 * 1024);
  readonly scopeVersion = new NativeWriter(64 * 1024);
  readonly attributes = new AttributeColumn(64 * 1024);
  readonly duration = new NativeWriter(64 * 1024);
  readonly statusCode = new NativeWriter(64 * 1024);
  readonly statusMessage = new NativeWriter(4096);
  /** Events per span, shared by the three Events.* columns. */
  readonly eventEnds = new OffsetsBuilder();
  readonly eventTime = new NativeWriter(4096);
  readonly eventName = new NativeWriter(4096);
  readonly eventAttributes = new AttributeColumn(4096);
  /** Links per span, shared by the four Links.* columns. */
  readonly linkEnds = new OffsetsBuilder();
  readonly linkTraceId = new NativeWriter(4096);
  readonly linkSpanId = new NativeWriter(4096);
  readonly linkTraceState = new NativeWriter(4096);
  readonly linkAttributes = new AttributeColumn(4096);

  /** Empties every column for the next request. */
  reset(): void {
    this.rows = 0;
    resetColumns(this);
  }

  /** The rows read so far as a chunk of their own (copied out of the reused writers). */
  chunk(): NativeChunk {
    const events = this.eventEnds.finish();
    const links = this.linkEnds.finish();
    return compactChunk({
      rows: this.rows,
      columns: [
        [this.timestamp.finish()],
        [this.traceId.finish()],
        [this.spanId.finish()],
        [this.parentSpanId.finish()],
        [this.traceState.finish()],
        [this.spanName.finish()],
        [this.spanKind.finish()],
        [this.serviceName.finish()],
        this.resourceAttributes.streams(),
        [this.scopeName.finish()],
        [this.scopeVersion.finish()],
        this.attributes.streams(),
        [this.duration.finish()],
        [this.statusCode.finish()],
        [this.statusMessage.finish()],
        [events, this.eventTime.finish()],
        [events, this.eventName.finish()],
        [events, ...this.eventAttributes.streams()],
        [links, this.linkTraceId.finish()],
        [links, this.linkSpanId.finish()],
        [links, this.linkTraceState.finish()],
        [links, ...this.linkAttributes.streams()],
      ],
    });
  }
}

let scratch: SpanColumns | undefined;

/**
 * Decodes an OTLP/protobuf ExportTraceServiceRequest body into one chunk of `otel_traces` columns.
 *
 * @throws DecodeError (code 'bad_request') exactly when `decodeTracesProtobuf` does, with its message.
 */
export function decodeSpansChunk(body: Uint8Array, onRescued?: () => void): NativeChunk {
  return decodeWithRescue(
    body,
    readSpansChunk,
    (b) => spanChunkFromRecords(decodeTracesProtobuf(b)),
    onRescued,
  );
}

/** The direct decode alone: throws on a bad body with an unspecified error. Exported for tests. */
export function readSpansChunk(body: Uint8Array): NativeChunk {
  const r = new ProtoReader(body);
  const columns = (scratch ??= new SpanColumns());
  columns.reset();
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === REQUEST_RESOURCE_SPANS) readResourceSpans(r, columns);
    else r.skip(tag);
  }
  return columns.chunk();
}

function readResourceSpans(r: ProtoReader, columns: SpanColumns): void {
  const outer = r.enter();
  const start = r.pos;
  const resourceAttributes: AttributeMap = {};
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === RESOURCE_SPANS_RESOURCE) readResource(r, resourceAttributes);
    else r.skip(tag);
  }
  const serviceName = encodedString(resourceAttributes['service.name'] ?? '');
  const encodedAttributes = encodedMap(resourceAttributes);
  r.pos = start;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === RESOURCE_SPANS_SCOPE_SPANS) readScopeSpans(r, columns, serviceName, encodedAttributes);
    else r.skip(tag);
  }
  r.leave(outer);
}

function readScopeSpans(
  r: ProtoReader,
  columns: SpanColumns,
  serviceName: Buffer,
  resourceAttributes: Shared['resourceAttributes'],
): void {
  const outer = r.enter();
  const start = r.pos;
  const scope: ScopeFields = { name: '', version: '', attributes: {} };
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === SCOPE_SPANS_SCOPE) readScope(r, scope);
    else r.skip(tag);
  }
  const shared: Shared = {
    serviceName,
    resourceAttributes,
    scopeName: encodedString(scope.name),
    scopeVersion: encodedString(scope.version),
  };
  r.pos = start;
  const before = columns.rows;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === SCOPE_SPANS_SPANS) readSpan(r, columns);
    else r.skip(tag);
  }
  r.leave(outer);
  const rows = columns.rows - before;
  columns.serviceName.repeat(shared.serviceName, rows);
  columns.resourceAttributes.repeat(shared.resourceAttributes, rows);
  columns.scopeName.repeat(shared.scopeName, rows);
  columns.scopeVersion.repeat(shared.scopeVersion, rows);
}

function readSpan(r: ProtoReader, c: SpanColumns): void {
  const outer = r.enter();
  const spanStart = r.pos;
  const spanEnd = r.limit;
  let traceIdStart = -1;
  let spanIdStart = -1;
  let parentStart = 0;
  let parentEnd = 0;
  let traceStateStart = 0;
  let traceStateEnd = 0;
  let nameStart = 0;
  let nameEnd = 0;
  let kind = 0;
  let startAt = -1;
  let endAt = -1;
  let statusCode = 0;
  let statusMessageStart = 0;
  let statusMessageEnd = 0;
  let events = 0;
  let links = 0;
  const buf = r.buf;
  c.attributes.begin();
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case SPAN_TRACE_ID:
        traceIdStart = requiredId(r, 16);
        break;
      case SPAN_SPAN_ID:
        spanIdStart = requiredId(r, 8);
        break;
      case SPAN_TRACE_STATE:
        traceStateStart = r.lengthDelimited();
        traceStateEnd = r.pos;
        break;
      case SPAN_PARENT_SPAN_ID:
        parentStart = optionalId(r, 8);
        parentEnd = r.pos;
        break;
      case SPAN_NAME:
        nameStart = r.lengthDelimited();
        nameEnd = r.pos;
        break;
      case SPAN_KIND:
        kind = r.int32();
        break;
      case SPAN_START_TIME:
        startAt = r.fixed64Offset();
        break;
      case SPAN_END_TIME:
        endAt = r.fixed64Offset();
        break;
      case SPAN_ATTRIBUTES:
        c.attributes.add(r);
        break;
      case SPAN_EVENTS:
        readEvent(r, c);
        events++;
        break;
      case SPAN_LINKS:
        readLink(r, c);
        links++;
        break;
      case SPAN_STATUS: {
        const statusOuter = r.enter();
        while (r.pos < r.limit) {
          const statusTag = r.tag();
          if (statusTag === STATUS_CODE) statusCode = r.int32();
          else if (statusTag === STATUS_MESSAGE) {
            statusMessageStart = r.lengthDelimited();
            statusMessageEnd = r.pos;
          } else r.skip(statusTag);
        }
        r.leave(statusOuter);
        break;
      }
      default:
        r.skip(tag);
    }
  }
  c.attributes.end((into) => rereadAttributes(r, spanStart, spanEnd, SPAN_ATTRIBUTES, into));
  r.leave(outer);
  if (traceIdStart < 0 || spanIdStart < 0) r.fail('span without trace or span id');

  writeTime(c.timestamp, buf, startAt);
  c.traceId.hex(buf, traceIdStart, traceIdStart + 16);
  c.spanId.hex(buf, spanIdStart, spanIdStart + 8);
  writeOptionalId(c.parentSpanId, buf, parentStart, parentEnd);
  c.traceState.utf8(buf, traceStateStart, traceStateEnd);
  c.spanName.utf8(buf, nameStart, nameEnd);
  const kindName = KIND_NAMES[kind] ?? KIND_NAMES[0]!;
  c.spanKind.raw(kindName);
  c.duration.uint64(duration(buf, startAt, endAt));
  const statusName = STATUS_NAMES[statusCode] ?? STATUS_NAMES[0]!;
  c.statusCode.raw(statusName);
  c.statusMessage.utf8(buf, statusMessageStart, statusMessageEnd);
  c.eventEnds.add(events);
  c.linkEnds.add(links);
  c.rows++;
}

/**
 * end - start in doubles, as the record decoder computes it: each 32-bit half differs exactly and
 * the sum only rounds past 2^53 ns; negative durations are 0.
 */
function duration(buf: Buffer, startAt: number, endAt: number): number {
  const startLow = startAt < 0 ? 0 : buf.readUInt32LE(startAt);
  const startHigh = startAt < 0 ? 0 : buf.readUInt32LE(startAt + 4);
  const endLow = endAt < 0 ? 0 : buf.readUInt32LE(endAt);
  const endHigh = endAt < 0 ? 0 : buf.readUInt32LE(endAt + 4);
  const ns = (endHigh - startHigh) * TWO_32 + (endLow - startLow);
  return ns > 0 ? Math.min(Math.floor(ns), UINT64_MAX_DOUBLE) : 0;
}

/** A trace or span id that must be `length` non-zero bytes; returns where it starts. */
function requiredId(r: ProtoReader, length: number): number {
  const start = r.lengthDelimited();
  if (r.pos - start !== length) r.fail('bad id length');
  if (isZeroBytes(r.buf, start, r.pos)) r.fail('all-zero id');
  return start;
}

/** An id that may be empty (and is '' when all zeros) but otherwise `length` bytes. */
function optionalId(r: ProtoReader, length: number): number {
  const start = r.lengthDelimited();
  if (r.pos !== start && r.pos - start !== length) r.fail('bad id length');
  return start;
}

function readEvent(r: ProtoReader, c: SpanColumns): void {
  const outer = r.enter();
  const start = r.pos;
  const end = r.limit;
  let timeAt = -1;
  let nameStart = 0;
  let nameEnd = 0;
  c.eventAttributes.begin();
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === EVENT_TIME) timeAt = r.fixed64Offset();
    else if (tag === EVENT_NAME) {
      nameStart = r.lengthDelimited();
      nameEnd = r.pos;
    } else if (tag === EVENT_ATTRIBUTES) c.eventAttributes.add(r);
    else r.skip(tag);
  }
  c.eventAttributes.end((into) => rereadAttributes(r, start, end, EVENT_ATTRIBUTES, into));
  r.leave(outer);
  const buf = r.buf;
  writeTime(c.eventTime, buf, timeAt);
  c.eventName.utf8(buf, nameStart, nameEnd);
}

function readLink(r: ProtoReader, c: SpanColumns): void {
  const outer = r.enter();
  const start = r.pos;
  const end = r.limit;
  let traceIdStart = 0;
  let traceIdEnd = 0;
  let spanIdStart = 0;
  let spanIdEnd = 0;
  let traceStateStart = 0;
  let traceStateEnd = 0;
  c.linkAttributes.begin();
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case LINK_TRACE_ID:
        traceIdStart = optionalId(r, 16);
        traceIdEnd = r.pos;
        break;
      case LINK_SPAN_ID:
        spanIdStart = optionalId(r, 8);
        spanIdEnd = r.pos;
        break;
      case LINK_TRACE_STATE:
        traceStateStart = r.lengthDelimited();
        traceStateEnd = r.pos;
        break;
      case LINK_ATTRIBUTES:
        c.linkAttributes.add(r);
        break;
      default:
        r.skip(tag);
    }
  }
  c.linkAttributes.end((into) => rereadAttributes(r, start, end, LINK_ATTRIBUTES, into));
  r.leave(outer);
  const buf = r.buf;
  writeOptionalId(c.linkTraceId, buf, traceIdStart, traceIdEnd);
  writeOptionalId(c.linkSpanId, buf, spanIdStart, spanIdEnd);
  c.linkTraceState.utf8(buf, traceStateStart, traceStateEnd);
}

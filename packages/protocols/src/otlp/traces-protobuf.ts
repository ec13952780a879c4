/**
 * Decoder for OTLP/protobuf trace exports (opentelemetry.proto.collector.trace.v1
 * .ExportTraceServiceRequest) straight into {@link SpanRecord}s, reading the wire format without
 * building intermediate message objects. Field numbers are those of trace.proto.
 */
import { ProtoReader } from '../protobuf/reader.ts';
import { readAttribute, readId, readResource, readScope, type ScopeFields } from './common-protobuf.ts';
import { readEvent, readLink } from './span-events-links-protobuf.ts';
import { spanKindName, statusCodeName } from './enums.ts';
import type { AttributeMap, SpanEventRecord, SpanLinkRecord, SpanRecord } from './records.ts';
import {
  REQUEST_RESOURCE_SPANS,
  RESOURCE_SPANS_RESOURCE,
  RESOURCE_SPANS_SCOPE_SPANS,
  SCOPE_SPANS_SCOPE,
  SCOPE_SPANS_SPANS,
  SPAN_TRACE_ID,
  SPAN_SPAN_ID,
  SPAN_TRACE_STATE,
  SPAN_PARENT_SPAN_ID,
  SPAN_NAME,
  SPAN_KIND,
  SPAN_START_TIME,
  SPAN_END_TIME,
  SPAN_ATTRIBUTES,
  SPAN_EVENTS,
  SPAN_LINKS,
  SPAN_STATUS,
  STATUS_MESSAGE,
  STATUS_CODE,
} from './wire-tags.ts';

/** Resource and scope fields every span of one ScopeSpans shares. */
interface SpanContext {
  serviceName: string;
  resourceAttributes: AttributeMap;
  scopeName: string;
  scopeVersion: string;
}

/**
 * Decodes an OTLP/protobuf ExportTraceServiceRequest body.
 *
 * @throws DecodeError (code 'bad_request') for malformed protobuf or spans that break OTLP rules:
 *   trace_id not 16 non-zero bytes, span_id not 8 non-zero bytes, parent_span_id or link ids of
 *   the wrong length. The message names the field path and byte offset.
 */
export function decodeTracesProtobuf(body: Uint8Array): SpanRecord[] {
  const r = new ProtoReader(body);
  const out: SpanRecord[] = [];
  let index = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === REQUEST_RESOURCE_SPANS) {
      r.path.push('resourceSpans', index++);
      readResourceSpans(r, out);
      r.path.pop();
    } else {
      r.skip(tag);
    }
  }
  return out;
}

function readResourceSpans(r: ProtoReader, out: SpanRecord[]): void {
  const outer = r.enter();
  const start = r.pos;
  // Protobuf allows fields in any order, so the resource is read in a first pass (cheap: the
  // scope_spans are skipped by length) and every span can be built complete in the second.
  const resourceAttributes: AttributeMap = {};
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === RESOURCE_SPANS_RESOURCE) readResource(r, resourceAttributes);
    else r.skip(tag);
  }
  const serviceName = resourceAttributes['service.name'] ?? '';
  r.pos = start;
  let index = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === RESOURCE_SPANS_SCOPE_SPANS) {
      r.path.push('scopeSpans', index++);
      readScopeSpans(r, out, serviceName, resourceAttributes);
      r.path.pop();
    } else {
      r.skip(tag);
    }
  }
  r.leave(outer);
}

function readScopeSpans(
  r: ProtoReader,
  out: SpanRecord[],
  serviceName: string,
  resourceAttributes: AttributeMap,
): void {
  const outer = r.enter();
  const start = r.pos;
  const scope: ScopeFields = { name: '', version: '', attributes: {} };
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === SCOPE_SPANS_SCOPE) readScope(r, scope);
    else r.skip(tag);
  }
  const context: SpanContext = {
    serviceName,
    resourceAttributes,
    scopeName: scope.name,
    scopeVersion: scope.version,
  };
  r.pos = start;
  let index = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === SCOPE_SPANS_SPANS) {
      r.path.push('spans', index++);
      out.push(readSpan(r, context));
      r.path.pop();
    } else {
      r.skip(tag);
    }
  }
  r.leave(outer);
}

function readSpan(r: ProtoReader, context: SpanContext): SpanRecord {
  const spanAt = r.pos;
  const outer = r.enter();
  let traceId = '';
  let spanId = '';
  let parentSpanId = '';
  let traceState = '';
  let name = '';
  let kind = 0;
  // Offsets of the fixed64 timestamps; -1 when absent (proto3 default 0).
  let startAt = -1;
  let endAt = -1;
  let statusCode = 0;
  let statusMessage = '';
  const attributes: AttributeMap = {};
  let attributeIndex = 0;
  const events: SpanEventRecord[] = [];
  const links: SpanLinkRecord[] = [];
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case SPAN_TRACE_ID:
        traceId = readId(r, 16, 'traceId', 'reject');
        break;
      case SPAN_SPAN_ID:
        spanId = readId(r, 8, 'spanId', 'reject');
        break;
      case SPAN_TRACE_STATE:
        traceState = r.string();
        break;
      case SPAN_PARENT_SPAN_ID:
        parentSpanId = readId(r, 8, 'parentSpanId', 'empty');
        break;
      case SPAN_NAME:
        name = r.string();
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
        r.path.push('attributes', attributeIndex++);
        readAttribute(r, attributes);
        r.path.pop();
        break;
      case SPAN_EVENTS:
        r.path.push('events', events.length);
        events.push(readEvent(r));
        r.path.pop();
        break;
      case SPAN_LINKS:
        r.path.push('links', links.length);
        links.push(readLink(r));
        r.path.pop();
        break;
      case SPAN_STATUS: {
        // Inlined rather than returning a {code, message} object per span.
        r.path.push('status');
        const statusOuter = r.enter();
        while (r.pos < r.limit) {
          const statusTag = r.tag();
          if (statusTag === STATUS_CODE) statusCode = r.int32();
          else if (statusTag === STATUS_MESSAGE) statusMessage = r.string();
          else r.skip(statusTag);
        }
        r.leave(statusOuter);
        r.path.pop();
        break;
      }
      default:
        r.skip(tag);
    }
  }
  r.leave(outer);
  if (traceId === '') r.fail('traceId must be 16 bytes, got 0', 'traceId', spanAt);
  if (spanId === '') r.fail('spanId must be 8 bytes, got 0', 'spanId', spanAt);
  return {
    traceId,
    spanId,
    parentSpanId,
    traceState,
    name,
    kind: spanKindName(kind),
    startTimeUnixNano: startAt < 0 ? 0n : r.view.getBigUint64(startAt, true),
    durationNs: durationBetween(r.view, startAt, endAt),
    statusCode: statusCodeName(statusCode),
    statusMessage,
    serviceName: context.serviceName,
    resourceAttributes: context.resourceAttributes,
    scopeName: context.scopeName,
    scopeVersion: context.scopeVersion,
    attributes,
    events,
    links,
  };
}

/**
 * end - start from the two fixed64 fields, in doubles rather than BigInt: each 32-bit half
 * differs exactly, and the sum only rounds for durations over 2^53 ns (104 days).
 */
function durationBetween(view: DataView, startAt: number, endAt: number): number {
  const startLo = startAt < 0 ? 0 : view.getUint32(startAt, true);
  const startHi = startAt < 0 ? 0 : view.getUint32(startAt + 4, true);
  const endLo = endAt < 0 ? 0 : view.getUint32(endAt, true);
  const endHi = endAt < 0 ? 0 : view.getUint32(endAt + 4, true);
  const duration = (endHi - startHi) * 0x100000000 + (endLo - startLo);
  return duration > 0 ? duration : 0;
}

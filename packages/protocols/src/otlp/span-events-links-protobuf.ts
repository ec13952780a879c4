/** Protobuf decoding of the events and links of a span (Span.Event and Span.Link in trace.proto). */
import type { ProtoReader } from '../protobuf/reader.ts';

import { readAttribute, readId } from './common-protobuf.ts';
import type { AttributeMap, SpanEventRecord, SpanLinkRecord } from './records.ts';
import {
  EVENT_TIME,
  EVENT_NAME,
  EVENT_ATTRIBUTES,
  LINK_TRACE_ID,
  LINK_SPAN_ID,
  LINK_TRACE_STATE,
  LINK_ATTRIBUTES,
} from './wire-tags.ts';

/** Reads a Span.Event, called right after its tag. */
export function readEvent(r: ProtoReader): SpanEventRecord {
  const outer = r.enter();
  let timeUnixNano = 0n;
  let name = '';
  const attributes: AttributeMap = {};
  let attributeIndex = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === EVENT_TIME) timeUnixNano = r.fixed64();
    else if (tag === EVENT_NAME) name = r.string();
    else if (tag === EVENT_ATTRIBUTES) {
      r.path.push('attributes', attributeIndex++);
      readAttribute(r, attributes);
      r.path.pop();
    } else r.skip(tag);
  }
  r.leave(outer);
  return { timeUnixNano, name, attributes };
}

/** Reads a Span.Link, called right after its tag. */
export function readLink(r: ProtoReader): SpanLinkRecord {
  const outer = r.enter();
  let traceId = '';
  let spanId = '';
  let traceState = '';
  const attributes: AttributeMap = {};
  let attributeIndex = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case LINK_TRACE_ID:
        // Links may legitimately carry an empty context (spec: recorded when they have
        // attributes or trace state), so zero or empty ids become '' instead of an error.
        traceId = readId(r, 16, 'traceId', 'empty');
        break;
      case LINK_SPAN_ID:
        spanId = readId(r, 8, 'spanId', 'empty');
        break;
      case LINK_TRACE_STATE:
        traceState = r.string();
        break;
      case LINK_ATTRIBUTES:
        r.path.push('attributes', attributeIndex++);
        readAttribute(r, attributes);
        r.path.pop();
        break;
      default:
        r.skip(tag);
    }
  }
  r.leave(outer);
  return { traceId, spanId, traceState, attributes };
}

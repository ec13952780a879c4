/**
 * Decoder for OTLP/JSON trace exports (ExportTraceServiceRequest in the proto3 JSON mapping with
 * hex ids), producing the same {@link SpanRecord}s as the protobuf decoder for the same spans.
 */
import { FieldPath } from '../field-path.ts';
import { readAttributesJson, readResourceJson, readScopeJson } from './common-json.ts';
import { SPAN_KIND_VALUES, STATUS_CODE_VALUES, spanKindName, statusCodeName } from './enums.ts';
import {
  asArray,
  asEnum,
  asHexId,
  asObject,
  asString,
  asUint64,
  field,
  jsonFail,
  parseJsonObject,
  requireObject,
  type JsonObject,
} from './json-fields.ts';
import type { AttributeMap, SpanEventRecord, SpanLinkRecord, SpanRecord } from './records.ts';

/**
 * Decodes an OTLP/JSON ExportTraceServiceRequest. Field names may be lowerCamelCase or the proto
 * snake_case names; ids are hex; 64-bit integers may be strings or numbers; enums may be numbers
 * or value names. Unknown fields are ignored.
 *
 * @throws DecodeError (code 'bad_request') when the text is not JSON, a field has the wrong type,
 *   or a span breaks the same id rules as in {@link decodeTracesProtobuf}.
 */
export function decodeTracesJson(text: string): SpanRecord[] {
  const path = new FieldPath();
  const root = parseJsonObject(text, path);
  const out: SpanRecord[] = [];
  const resourceSpans = asArray(field(root, 'resourceSpans', 'resource_spans'), path, 'resourceSpans');
  for (let i = 0; i < resourceSpans.length; i++) {
    path.push('resourceSpans', i);
    const rs = requireObject(resourceSpans[i], path);
    const resourceAttributes = readResourceJson(rs, path);
    const serviceName = resourceAttributes['service.name'] ?? '';
    const scopeSpans = asArray(field(rs, 'scopeSpans', 'scope_spans'), path, 'scopeSpans');
    for (let j = 0; j < scopeSpans.length; j++) {
      path.push('scopeSpans', j);
      const ss = requireObject(scopeSpans[j], path);
      const scope = readScopeJson(ss, path);
      const spans = asArray(field(ss, 'spans', 'spans'), path, 'spans');
      for (let k = 0; k < spans.length; k++) {
        path.push('spans', k);
        out.push(
          readSpan(
            requireObject(spans[k], path),
            path,
            serviceName,
            resourceAttributes,
            scope.name,
            scope.version,
          ),
        );
        path.pop();
      }
      path.pop();
    }
    path.pop();
  }
  return out;
}

/** An element of a repeated message field; null is not a message. */

function readSpan(
  span: JsonObject,
  path: FieldPath,
  serviceName: string,
  resourceAttributes: AttributeMap,
  scopeName: string,
  scopeVersion: string,
): SpanRecord {
  const traceId = asHexId(field(span, 'traceId', 'trace_id'), 16, 'reject', path, 'traceId');
  if (traceId === '') jsonFail(path, 'traceId is required', 'traceId');
  const spanId = asHexId(field(span, 'spanId', 'span_id'), 8, 'reject', path, 'spanId');
  if (spanId === '') jsonFail(path, 'spanId is required', 'spanId');
  const startTimeUnixNano = asUint64(
    field(span, 'startTimeUnixNano', 'start_time_unix_nano'),
    path,
    'startTimeUnixNano',
  );
  const endTimeUnixNano = asUint64(
    field(span, 'endTimeUnixNano', 'end_time_unix_nano'),
    path,
    'endTimeUnixNano',
  );
  const status = asObject(field(span, 'status', 'status'), path, 'status') ?? {};
  path.push('status');
  const statusCode = asEnum(field(status, 'code', 'code'), STATUS_CODE_VALUES, path, 'code');
  const statusMessage = asString(field(status, 'message', 'message'), path, 'message');
  path.pop();
  const events = asArray(field(span, 'events', 'events'), path, 'events');
  const links = asArray(field(span, 'links', 'links'), path, 'links');
  return {
    traceId,
    spanId,
    parentSpanId: asHexId(field(span, 'parentSpanId', 'parent_span_id'), 8, 'empty', path, 'parentSpanId'),
    traceState: asString(field(span, 'traceState', 'trace_state'), path, 'traceState'),
    name: asString(field(span, 'name', 'name'), path, 'name'),
    kind: spanKindName(asEnum(field(span, 'kind', 'kind'), SPAN_KIND_VALUES, path, 'kind')),
    startTimeUnixNano,
    durationNs: endTimeUnixNano > startTimeUnixNano ? Number(endTimeUnixNano - startTimeUnixNano) : 0,
    statusCode: statusCodeName(statusCode),
    statusMessage,
    serviceName,
    resourceAttributes,
    scopeName,
    scopeVersion,
    attributes: readAttributesJson(field(span, 'attributes', 'attributes'), {}, path, 'attributes'),
    events: events.map((event, i) => readEvent(event, path, i)),
    links: links.map((link, i) => readLink(link, path, i)),
  };
}

function readEvent(value: unknown, path: FieldPath, index: number): SpanEventRecord {
  path.push('events', index);
  const event = requireObject(value, path);
  const record: SpanEventRecord = {
    timeUnixNano: asUint64(field(event, 'timeUnixNano', 'time_unix_nano'), path, 'timeUnixNano'),
    name: asString(field(event, 'name', 'name'), path, 'name'),
    attributes: readAttributesJson(field(event, 'attributes', 'attributes'), {}, path, 'attributes'),
  };
  path.pop();
  return record;
}

function readLink(value: unknown, path: FieldPath, index: number): SpanLinkRecord {
  path.push('links', index);
  const link = requireObject(value, path);
  const record: SpanLinkRecord = {
    // Zero or empty link ids are allowed, as in the protobuf decoder (see readLink there).
    traceId: asHexId(field(link, 'traceId', 'trace_id'), 16, 'empty', path, 'traceId'),
    spanId: asHexId(field(link, 'spanId', 'span_id'), 8, 'empty', path, 'spanId'),
    traceState: asString(field(link, 'traceState', 'trace_state'), path, 'traceState'),
    attributes: readAttributesJson(field(link, 'attributes', 'attributes'), {}, path, 'attributes'),
  };
  path.pop();
  return record;
}

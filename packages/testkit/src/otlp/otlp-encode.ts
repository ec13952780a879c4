/**
 * OTLP/protobuf encoder for our own records (SpanRecord, LogRecord), for the ingest benchmarks and the decoder tests:
 * `@opentelemetry/otlp-transformer` only serializes SDK ReadableSpans/LogRecords, and building
 * those from synthetic data would measure the SDK instead of producing the bodies we need.
 *
 * Records are grouped as a Collector batch would send them: one ResourceSpans/ResourceLogs per
 * distinct resource (by object identity, the generator shares them), one ScopeSpans/ScopeLogs per
 * scope, in order of first appearance. Attribute values that are plain decimal integers are sent
 * as `int_value` (real SDKs send `http.status_code`, ports and sizes as ints); our decoder
 * flattens them back to the same decimal string, so a round trip gives the same records.
 * Field numbers are those of opentelemetry/proto trace.proto, logs.proto and common.proto.
 */
import type { AttributeMap, LogRecord, SpanKindName, SpanRecord, StatusCodeName } from '@vigil/protocols';
import { ProtoWriter } from './proto-writer.ts';

const SPAN_KIND: Record<SpanKindName, number> = {
  Unspecified: 0,
  Internal: 1,
  Server: 2,
  Client: 3,
  Producer: 4,
  Consumer: 5,
};
const STATUS_CODE: Record<StatusCodeName, number> = { Unset: 0, Ok: 1, Error: 2 };
/** Decimal integers that fit int64 and print back identically (no leading zeros, no "-0"). */
const INT_TEXT = /^(0|-?[1-9]\d{0,17})$/;

function attributes(w: ProtoWriter, field: number, map: AttributeMap): void {
  for (const key in map) {
    const value = map[key]!;
    w.fork(field); // KeyValue
    w.string(1, key);
    w.fork(2); // AnyValue
    if (INT_TEXT.test(value)) w.int64(3, BigInt(value));
    else w.string(1, value);
    w.join();
    w.join();
  }
}

/** Groups records by resource, then scope, keeping first-appearance order. */
function group<T>(
  records: readonly T[],
  resourceOf: (r: T) => object,
  scopeOf: (r: T) => string,
): Map<object, Map<string, T[]>> {
  const byResource = new Map<object, Map<string, T[]>>();
  for (const record of records) {
    const resource = resourceOf(record);
    let scopes = byResource.get(resource);
    if (!scopes) byResource.set(resource, (scopes = new Map()));
    const scope = scopeOf(record);
    let list = scopes.get(scope);
    if (!list) scopes.set(scope, (list = []));
    list.push(record);
  }
  return byResource;
}

function span(w: ProtoWriter, s: SpanRecord): void {
  w.fork(2); // ScopeSpans.spans
  w.hexBytes(1, s.traceId);
  w.hexBytes(2, s.spanId);
  w.string(3, s.traceState);
  w.hexBytes(4, s.parentSpanId);
  w.string(5, s.name);
  w.uint(6, SPAN_KIND[s.kind]);
  w.fixed64(7, s.startTimeUnixNano);
  w.fixed64(8, s.startTimeUnixNano + BigInt(s.durationNs));
  attributes(w, 9, s.attributes);
  for (const e of s.events) {
    w.fork(11);
    w.fixed64(1, e.timeUnixNano);
    w.string(2, e.name);
    attributes(w, 3, e.attributes);
    w.join();
  }
  for (const l of s.links) {
    w.fork(13);
    w.hexBytes(1, l.traceId);
    w.hexBytes(2, l.spanId);
    w.string(3, l.traceState);
    attributes(w, 4, l.attributes);
    w.join();
  }
  if (s.statusCode !== 'Unset' || s.statusMessage !== '') {
    w.fork(15);
    w.string(2, s.statusMessage);
    w.uint(3, STATUS_CODE[s.statusCode]);
    w.join();
  }
  w.join();
}

/** An ExportTraceServiceRequest body holding `spans`. */
export function encodeTracesRequest(spans: readonly SpanRecord[], w = new ProtoWriter()): Buffer {
  const groups = group(
    spans,
    (s) => s.resourceAttributes,
    (s) => `${s.scopeName}\n${s.scopeVersion}`,
  );
  for (const [resource, scopes] of groups) {
    w.fork(1); // ResourceSpans
    w.fork(1); // Resource
    attributes(w, 1, resource as AttributeMap);
    w.join();
    for (const list of scopes.values()) {
      const first = list[0]!;
      w.fork(2); // ScopeSpans
      w.fork(1); // InstrumentationScope
      w.string(1, first.scopeName);
      w.string(2, first.scopeVersion);
      w.join();
      for (const s of list) span(w, s);
      w.join();
    }
    w.join();
  }
  return w.finish();
}

function logRecord(w: ProtoWriter, r: LogRecord): void {
  w.fork(2); // ScopeLogs.log_records
  w.fixed64(1, r.timeUnixNano);
  w.uint(2, r.severityNumber);
  w.string(3, r.severityText);
  w.fork(5); // body AnyValue: a string, as log bridges send it
  w.string(1, r.body);
  w.join();
  attributes(w, 6, r.attributes);
  w.fixed32(8, r.traceFlags);
  w.hexBytes(9, r.traceId);
  w.hexBytes(10, r.spanId);
  // SDKs stamp the observed time on every record; the decoder prefers time_unix_nano.
  w.fixed64(11, r.timeUnixNano);
  w.string(12, r.eventName);
  w.join();
}

/** An ExportLogsServiceRequest body holding `records`. */
export function encodeLogsRequest(records: readonly LogRecord[], w = new ProtoWriter()): Buffer {
  const scopeIds = new Map<object, number>();
  const groups = group(
    records,
    (r) => r.resourceAttributes,
    (r) => {
      let id = scopeIds.get(r.scopeAttributes);
      if (id === undefined) scopeIds.set(r.scopeAttributes, (id = scopeIds.size));
      return `${r.scopeName}\n${r.scopeVersion}\n${r.scopeSchemaUrl}\n${id}`;
    },
  );
  for (const [resource, scopes] of groups) {
    const firstOfResource = scopes.values().next().value![0]!;
    w.fork(1); // ResourceLogs
    w.fork(1); // Resource
    attributes(w, 1, resource as AttributeMap);
    w.join();
    for (const list of scopes.values()) {
      const first = list[0]!;
      w.fork(2); // ScopeLogs
      w.fork(1); // InstrumentationScope
      w.string(1, first.scopeName);
      w.string(2, first.scopeVersion);
      attributes(w, 3, first.scopeAttributes);
      w.join();
      for (const r of list) logRecord(w, r);
      w.string(3, first.scopeSchemaUrl);
      w.join();
    }
    w.string(3, firstOfResource.resourceSchemaUrl);
    w.join();
  }
  return w.finish();
}

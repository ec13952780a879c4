/**
 * SpanRecord[] → insert body for `otel_traces`, in the column order of the OTel Collector
 * exporter's INSERT (traces_insert.sql), so one column list serves both writers.
 *
 * Two encodings exist because the insert format was chosen by measurement (see README):
 * TSV is the one the stores use; JSONEachRow stays for the benchmark and as a cross-check in
 * tests (both must read back identically).
 */
import type { SpanRecord } from '@vigil/protocols';
import { RowBuffer } from './row-buffer.ts';
import { nsToDateTime64Text } from './timestamp.ts';
import { MapEncodingCache, tsvArray, tsvField, tsvMap, tsvQuoted } from './tsv.ts';

/** Columns written for a span, in body order. */
export const SPAN_COLUMNS = [
  'Timestamp',
  'TraceId',
  'SpanId',
  'ParentSpanId',
  'TraceState',
  'SpanName',
  'SpanKind',
  'ServiceName',
  'ResourceAttributes',
  'ScopeName',
  'ScopeVersion',
  'SpanAttributes',
  'Duration',
  'StatusCode',
  'StatusMessage',
  'Events.Timestamp',
  'Events.Name',
  'Events.Attributes',
  'Links.TraceId',
  'Links.SpanId',
  'Links.TraceState',
  'Links.Attributes',
] as const;

// Durations are integral nanoseconds; a negative or fractional value from a bad clock must not
// make the whole batch unparseable for a UInt64 column.
const durationText = (ns: number): string => (ns > 0 ? String(Math.floor(ns)) : '0');

/** Encodes spans as TabSeparated rows (one `\n`-terminated line per span). */
export function encodeSpansTsv(spans: readonly SpanRecord[]): Buffer {
  const resources = new MapEncodingCache(tsvMap);
  const out = new RowBuffer();
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i]!;
    let events = '[]\t[]\t[]';
    if (s.events.length > 0) {
      const times: string[] = [];
      const names: string[] = [];
      const attrs: string[] = [];
      for (const e of s.events) {
        times.push(`'${nsToDateTime64Text(e.timeUnixNano)}'`);
        names.push(tsvQuoted(e.name));
        attrs.push(tsvMap(e.attributes));
      }
      events = `${tsvArray(times)}\t${tsvArray(names)}\t${tsvArray(attrs)}`;
    }
    let links = '[]\t[]\t[]\t[]';
    if (s.links.length > 0) {
      const traceIds: string[] = [];
      const spanIds: string[] = [];
      const states: string[] = [];
      const attrs: string[] = [];
      for (const l of s.links) {
        traceIds.push(tsvQuoted(l.traceId));
        spanIds.push(tsvQuoted(l.spanId));
        states.push(tsvQuoted(l.traceState));
        attrs.push(tsvMap(l.attributes));
      }
      links = `${tsvArray(traceIds)}\t${tsvArray(spanIds)}\t${tsvArray(states)}\t${tsvArray(attrs)}`;
    }
    const ids = `${tsvField(s.traceId)}\t${tsvField(s.spanId)}\t${tsvField(s.parentSpanId)}\t${tsvField(s.traceState)}`;
    const what = `${tsvField(s.name)}\t${s.kind}\t${tsvField(s.serviceName)}\t${resources.get(s.resourceAttributes)}`;
    const scope = `${tsvField(s.scopeName)}\t${tsvField(s.scopeVersion)}\t${tsvMap(s.attributes)}`;
    const status = `${durationText(s.durationNs)}\t${s.statusCode}\t${tsvField(s.statusMessage)}`;
    out.push(
      `${nsToDateTime64Text(s.startTimeUnixNano)}\t${ids}\t${what}\t${scope}\t${status}\t${events}\t${links}\n`,
    );
  }
  return out.finish();
}

const q = JSON.stringify;

/** Encodes spans as JSONEachRow objects keyed by {@link SPAN_COLUMNS}. */
export function encodeSpansJson(spans: readonly SpanRecord[]): Buffer {
  const resources = new MapEncodingCache(q);
  const out = new RowBuffer();
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i]!;
    const events = s.events;
    const links = s.links;
    out.push(
      `{"Timestamp":"${nsToDateTime64Text(s.startTimeUnixNano)}","TraceId":${q(s.traceId)},` +
        `"SpanId":${q(s.spanId)},"ParentSpanId":${q(s.parentSpanId)},"TraceState":${q(s.traceState)},` +
        `"SpanName":${q(s.name)},"SpanKind":"${s.kind}","ServiceName":${q(s.serviceName)},` +
        `"ResourceAttributes":${resources.get(s.resourceAttributes)},"ScopeName":${q(s.scopeName)},` +
        `"ScopeVersion":${q(s.scopeVersion)},"SpanAttributes":${q(s.attributes)},` +
        `"Duration":${durationText(s.durationNs)},"StatusCode":"${s.statusCode}","StatusMessage":${q(s.statusMessage)},` +
        `"Events.Timestamp":[${events.map((e) => `"${nsToDateTime64Text(e.timeUnixNano)}"`).join(',')}],` +
        `"Events.Name":${q(events.map((e) => e.name))},"Events.Attributes":${q(events.map((e) => e.attributes))},` +
        `"Links.TraceId":${q(links.map((l) => l.traceId))},"Links.SpanId":${q(links.map((l) => l.spanId))},` +
        `"Links.TraceState":${q(links.map((l) => l.traceState))},"Links.Attributes":${q(links.map((l) => l.attributes))}}\n`,
    );
  }
  return out.finish();
}

/**
 * SpanRecord[] → one Native block for `otel_traces`, in the columns and order of
 * {@link SPAN_COLUMNS} (the TSV encoder's). Values match what the TSV encoder writes, so both
 * paths store identical rows (native-insert.int.test.ts compares them).
 *
 * LowCardinality columns are sent as plain String (and the maps as Map(String, String)):
 * ClickHouse converts on insert, and declaring them natively measured no better (README).
 */
import type { SpanEventRecord, SpanLinkRecord, SpanRecord } from '@vigil/protocols';
import type { NativeColumn } from '../../connection.ts';
import { SPAN_COLUMNS } from '../spans.ts';
import { assembleNative, type NativeChunk } from './chunk.ts';
import {
  chunkOf,
  maps,
  offsets,
  SharedMaps,
  sharedMaps,
  strings,
  timestamps,
  uint64s,
  type ColumnSpec,
} from './columns.ts';

interface Batch {
  shared: SharedMaps;
  /** Events and links of all spans, flattened in span order (the Nested columns' elements). */
  events: SpanEventRecord[];
  links: SpanLinkRecord[];
}

type Spec = ColumnSpec<SpanRecord, Batch>;

const text = (get: (s: SpanRecord) => string, bytesPerRow?: number): Spec => [
  'String',
  (spans) => [strings(spans, get, bytesPerRow)],
];

const eventCount = (s: SpanRecord): number => s.events.length;
const linkCount = (s: SpanRecord): number => s.links.length;

/** Native type and streams of every span column. */
const SPAN_SPECS: Record<(typeof SPAN_COLUMNS)[number], Spec> = {
  Timestamp: ['DateTime64(9)', (spans) => [timestamps(spans, (s) => s.startTimeUnixNano)]],
  TraceId: text((s) => s.traceId, 33),
  SpanId: text((s) => s.spanId, 17),
  ParentSpanId: text((s) => s.parentSpanId, 17),
  TraceState: text((s) => s.traceState),
  SpanName: text((s) => s.name),
  SpanKind: text((s) => s.kind),
  ServiceName: text((s) => s.serviceName),
  ResourceAttributes: [
    'Map(String, String)',
    (spans, b) => sharedMaps(spans, (s) => s.resourceAttributes, b.shared),
  ],
  ScopeName: text((s) => s.scopeName),
  ScopeVersion: text((s) => s.scopeVersion),
  SpanAttributes: ['Map(String, String)', (spans) => maps(spans, (s) => s.attributes)],
  Duration: ['UInt64', (spans) => [uint64s(spans, (s) => s.durationNs)]],
  StatusCode: text((s) => s.statusCode),
  StatusMessage: text((s) => s.statusMessage),
  'Events.Timestamp': [
    'Array(DateTime64(9))',
    (spans, b) => [offsets(spans, eventCount), timestamps(b.events, (e) => e.timeUnixNano)],
  ],
  'Events.Name': [
    'Array(String)',
    (spans, b) => [offsets(spans, eventCount), strings(b.events, (e) => e.name)],
  ],
  'Events.Attributes': [
    'Array(Map(String, String))',
    (spans, b) => [offsets(spans, eventCount), ...maps(b.events, (e) => e.attributes)],
  ],
  'Links.TraceId': [
    'Array(String)',
    (spans, b) => [offsets(spans, linkCount), strings(b.links, (l) => l.traceId, 33)],
  ],
  'Links.SpanId': [
    'Array(String)',
    (spans, b) => [offsets(spans, linkCount), strings(b.links, (l) => l.spanId, 17)],
  ],
  'Links.TraceState': [
    'Array(String)',
    (spans, b) => [offsets(spans, linkCount), strings(b.links, (l) => l.traceState)],
  ],
  'Links.Attributes': [
    'Array(Map(String, String))',
    (spans, b) => [offsets(spans, linkCount), ...maps(b.links, (l) => l.attributes)],
  ],
};

/** The columns and declared types of span chunks and blocks, for `insertNative`. */
export const SPAN_NATIVE_COLUMNS: readonly NativeColumn[] = SPAN_COLUMNS.map((name) => ({
  name,
  type: SPAN_SPECS[name][0],
}));

/** Spans as one chunk of `otel_traces` column streams. */
export function spanChunkFromRecords(spans: readonly SpanRecord[]): NativeChunk {
  const batch: Batch = { shared: new SharedMaps(), events: [], links: [] };
  for (const s of spans) {
    for (const e of s.events) batch.events.push(e);
    for (const l of s.links) batch.links.push(l);
  }
  return chunkOf(spans, SPAN_COLUMNS, SPAN_SPECS, batch);
}

/** Encodes spans as one Native block with the columns of {@link SPAN_COLUMNS}. */
export function encodeSpansNative(spans: readonly SpanRecord[]): Buffer {
  return assembleNative(SPAN_NATIVE_COLUMNS, [spanChunkFromRecords(spans)]);
}

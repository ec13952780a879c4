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
import {
  encodeBlock,
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

const text = (get: (s: SpanRecord) => string): Spec => ['String', (w, spans) => strings(w, spans, get)];

const eventCount = (s: SpanRecord): number => s.events.length;
const linkCount = (s: SpanRecord): number => s.links.length;

/** Native type and writer of every span column. */
const SPAN_SPECS: Record<(typeof SPAN_COLUMNS)[number], Spec> = {
  Timestamp: ['DateTime64(9)', (w, spans) => timestamps(w, spans, (s) => s.startTimeUnixNano)],
  TraceId: text((s) => s.traceId),
  SpanId: text((s) => s.spanId),
  ParentSpanId: text((s) => s.parentSpanId),
  TraceState: text((s) => s.traceState),
  SpanName: text((s) => s.name),
  SpanKind: text((s) => s.kind),
  ServiceName: text((s) => s.serviceName),
  ResourceAttributes: [
    'Map(String, String)',
    (w, spans, b) => sharedMaps(w, spans, (s) => s.resourceAttributes, b.shared),
  ],
  ScopeName: text((s) => s.scopeName),
  ScopeVersion: text((s) => s.scopeVersion),
  SpanAttributes: ['Map(String, String)', (w, spans) => maps(w, spans, (s) => s.attributes)],
  Duration: ['UInt64', (w, spans) => uint64s(w, spans, (s) => s.durationNs)],
  StatusCode: text((s) => s.statusCode),
  StatusMessage: text((s) => s.statusMessage),
  'Events.Timestamp': [
    'Array(DateTime64(9))',
    (w, spans, b) => {
      offsets(w, spans, eventCount);
      timestamps(w, b.events, (e) => e.timeUnixNano);
    },
  ],
  'Events.Name': [
    'Array(String)',
    (w, spans, b) => {
      offsets(w, spans, eventCount);
      strings(w, b.events, (e) => e.name);
    },
  ],
  'Events.Attributes': [
    'Array(Map(String, String))',
    (w, spans, b) => {
      offsets(w, spans, eventCount);
      maps(w, b.events, (e) => e.attributes);
    },
  ],
  'Links.TraceId': [
    'Array(String)',
    (w, spans, b) => {
      offsets(w, spans, linkCount);
      strings(w, b.links, (l) => l.traceId);
    },
  ],
  'Links.SpanId': [
    'Array(String)',
    (w, spans, b) => {
      offsets(w, spans, linkCount);
      strings(w, b.links, (l) => l.spanId);
    },
  ],
  'Links.TraceState': [
    'Array(String)',
    (w, spans, b) => {
      offsets(w, spans, linkCount);
      strings(w, b.links, (l) => l.traceState);
    },
  ],
  'Links.Attributes': [
    'Array(Map(String, String))',
    (w, spans, b) => {
      offsets(w, spans, linkCount);
      maps(w, b.links, (l) => l.attributes);
    },
  ],
};

/** The columns and declared types of the block {@link encodeSpansNative} writes, for `insertNative`. */
export const SPAN_NATIVE_COLUMNS: readonly NativeColumn[] = SPAN_COLUMNS.map((name) => ({
  name,
  type: SPAN_SPECS[name][0],
}));

/** Encodes spans as one Native block with the columns of {@link SPAN_COLUMNS}. */
export function encodeSpansNative(spans: readonly SpanRecord[]): Buffer {
  const batch: Batch = { shared: new SharedMaps(), events: [], links: [] };
  for (const s of spans) {
    for (const e of s.events) batch.events.push(e);
    for (const l of s.links) batch.links.push(l);
  }
  // ~600 bytes per synthetic span (9 attributes); a low guess only costs a copy per doubling.
  return encodeBlock(spans, SPAN_COLUMNS, SPAN_SPECS, batch, 640);
}

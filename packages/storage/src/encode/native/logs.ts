/**
 * LogRecord[] → one Native block for `otel_logs`, in the columns and order of
 * {@link LOG_COLUMNS} (the TSV encoder's), with the values the TSV encoder writes (see spans.ts).
 */
import type { LogRecord } from '@vigil/protocols';
import type { NativeColumn } from '../../connection.ts';
import { LOG_COLUMNS } from '../logs.ts';
import {
  encodeBlock,
  maps,
  SharedMaps,
  sharedMaps,
  strings,
  timestamps,
  uint8s,
  type ColumnSpec,
} from './columns.ts';

type Spec = ColumnSpec<LogRecord, SharedMaps>;

const text = (get: (r: LogRecord) => string): Spec => ['String', (w, records) => strings(w, records, get)];

/** Native type and writer of every log column. */
const LOG_SPECS: Record<(typeof LOG_COLUMNS)[number], Spec> = {
  Timestamp: ['DateTime64(9)', (w, records) => timestamps(w, records, (r) => r.timeUnixNano)],
  TraceId: text((r) => r.traceId),
  SpanId: text((r) => r.spanId),
  TraceFlags: ['UInt8', (w, records) => uint8s(w, records, (r) => r.traceFlags)],
  SeverityText: text((r) => r.severityText),
  SeverityNumber: ['UInt8', (w, records) => uint8s(w, records, (r) => r.severityNumber)],
  ServiceName: text((r) => r.serviceName),
  Body: text((r) => r.body),
  ResourceSchemaUrl: text((r) => r.resourceSchemaUrl),
  ResourceAttributes: [
    'Map(String, String)',
    (w, records, shared) => sharedMaps(w, records, (r) => r.resourceAttributes, shared),
  ],
  ScopeSchemaUrl: text((r) => r.scopeSchemaUrl),
  ScopeName: text((r) => r.scopeName),
  ScopeVersion: text((r) => r.scopeVersion),
  ScopeAttributes: [
    'Map(String, String)',
    (w, records, shared) => sharedMaps(w, records, (r) => r.scopeAttributes, shared),
  ],
  LogAttributes: ['Map(String, String)', (w, records) => maps(w, records, (r) => r.attributes)],
  EventName: text((r) => r.eventName),
};

/** The columns and declared types of the block {@link encodeLogsNative} writes, for `insertNative`. */
export const LOG_NATIVE_COLUMNS: readonly NativeColumn[] = LOG_COLUMNS.map((name) => ({
  name,
  type: LOG_SPECS[name][0],
}));

/** Encodes log records as one Native block with the columns of {@link LOG_COLUMNS}. */
export function encodeLogsNative(records: readonly LogRecord[]): Buffer {
  // ~360 bytes per synthetic log record; a low guess only costs a copy per doubling.
  return encodeBlock(records, LOG_COLUMNS, LOG_SPECS, new SharedMaps(), 400);
}

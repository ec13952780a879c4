/**
 * LogRecord[] → Native column streams for `otel_logs`, in the columns and order of
 * {@link LOG_COLUMNS} (the TSV encoder's), with the values the TSV encoder writes (see spans.ts).
 * The JSON path uses this; OTLP/protobuf bodies go straight to streams in logs-otlp.ts.
 */
import type { LogRecord } from '@vigil/protocols';
import type { NativeColumn } from '../../connection.ts';
import { LOG_COLUMNS } from '../logs.ts';
import { assembleNative, type NativeChunk } from './chunk.ts';
import {
  chunkOf,
  maps,
  SharedMaps,
  sharedMaps,
  strings,
  timestamps,
  uint8s,
  type ColumnSpec,
} from './columns.ts';

type Spec = ColumnSpec<LogRecord, SharedMaps>;

const text = (get: (r: LogRecord) => string, bytesPerRow?: number): Spec => [
  'String',
  (records) => [strings(records, get, bytesPerRow)],
];

/** Native type and streams of every log column. */
const LOG_SPECS: Record<(typeof LOG_COLUMNS)[number], Spec> = {
  Timestamp: ['DateTime64(9)', (records) => [timestamps(records, (r) => r.timeUnixNano)]],
  TraceId: text((r) => r.traceId, 33),
  SpanId: text((r) => r.spanId, 17),
  TraceFlags: ['UInt8', (records) => [uint8s(records, (r) => r.traceFlags)]],
  SeverityText: text((r) => r.severityText, 6),
  SeverityNumber: ['UInt8', (records) => [uint8s(records, (r) => r.severityNumber)]],
  ServiceName: text((r) => r.serviceName),
  Body: text((r) => r.body, 128),
  ResourceSchemaUrl: text((r) => r.resourceSchemaUrl, 1),
  ResourceAttributes: [
    'Map(String, String)',
    (records, shared) => sharedMaps(records, (r) => r.resourceAttributes, shared),
  ],
  ScopeSchemaUrl: text((r) => r.scopeSchemaUrl, 1),
  ScopeName: text((r) => r.scopeName),
  ScopeVersion: text((r) => r.scopeVersion, 8),
  ScopeAttributes: [
    'Map(String, String)',
    (records, shared) => sharedMaps(records, (r) => r.scopeAttributes, shared),
  ],
  LogAttributes: ['Map(String, String)', (records) => maps(records, (r) => r.attributes)],
  EventName: text((r) => r.eventName, 1),
};

/** The columns and declared types of log chunks and blocks, for `insertNative`. */
export const LOG_NATIVE_COLUMNS: readonly NativeColumn[] = LOG_COLUMNS.map((name) => ({
  name,
  type: LOG_SPECS[name][0],
}));

/** Log records as one chunk of `otel_logs` column streams. */
export function logChunkFromRecords(records: readonly LogRecord[]): NativeChunk {
  return chunkOf(records, LOG_COLUMNS, LOG_SPECS, new SharedMaps());
}

/** Encodes log records as one Native block with the columns of {@link LOG_COLUMNS}. */
export function encodeLogsNative(records: readonly LogRecord[]): Buffer {
  return assembleNative(LOG_NATIVE_COLUMNS, [logChunkFromRecords(records)]);
}

/**
 * LogRecord[] → insert body for `otel_logs`, in the column order of the OTel Collector
 * exporter's INSERT (logs_insert.sql with its EventName feature column). TSV is what the store
 * uses; JSONEachRow stays for the format benchmark and cross-checks (see spans.ts).
 */
import type { LogRecord } from '@vigil/protocols';
import { RowBuffer } from './row-buffer.ts';
import { nsToDateTime64Text } from './timestamp.ts';
import { MapEncodingCache, tsvField, tsvMap } from './tsv.ts';

/** Columns written for a log record, in body order. */
export const LOG_COLUMNS = [
  'Timestamp',
  'TraceId',
  'SpanId',
  'TraceFlags',
  'SeverityText',
  'SeverityNumber',
  'ServiceName',
  'Body',
  'ResourceSchemaUrl',
  'ResourceAttributes',
  'ScopeSchemaUrl',
  'ScopeName',
  'ScopeVersion',
  'ScopeAttributes',
  'LogAttributes',
  'EventName',
] as const;

// UInt8 columns: out-of-range numbers from a sloppy producer must not fail the whole batch.
const uint8Text = (n: number): string => (n >= 0 && n <= 255 ? String(n | 0) : '0');

/** Encodes log records as TabSeparated rows. */
export function encodeLogsTsv(records: readonly LogRecord[]): Buffer {
  // Resource and scope maps are shared objects per resource/scope: encode each one once.
  const shared = new MapEncodingCache(tsvMap);
  const out = new RowBuffer();
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const ids = `${tsvField(r.traceId)}\t${tsvField(r.spanId)}\t${uint8Text(r.traceFlags)}`;
    const severity = `${tsvField(r.severityText)}\t${uint8Text(r.severityNumber)}`;
    const resource = `${tsvField(r.resourceSchemaUrl)}\t${shared.get(r.resourceAttributes)}`;
    const scope = `${tsvField(r.scopeSchemaUrl)}\t${tsvField(r.scopeName)}\t${tsvField(r.scopeVersion)}\t${shared.get(r.scopeAttributes)}`;
    out.push(
      `${nsToDateTime64Text(r.timeUnixNano)}\t${ids}\t${severity}\t${tsvField(r.serviceName)}\t${tsvField(r.body)}\t` +
        `${resource}\t${scope}\t${tsvMap(r.attributes)}\t${tsvField(r.eventName)}\n`,
    );
  }
  return out.finish();
}

const q = JSON.stringify;

/** Encodes log records as JSONEachRow objects keyed by {@link LOG_COLUMNS}. */
export function encodeLogsJson(records: readonly LogRecord[]): Buffer {
  const shared = new MapEncodingCache(q);
  const out = new RowBuffer();
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    out.push(
      `{"Timestamp":"${nsToDateTime64Text(r.timeUnixNano)}","TraceId":${q(r.traceId)},"SpanId":${q(r.spanId)},` +
        `"TraceFlags":${uint8Text(r.traceFlags)},"SeverityText":${q(r.severityText)},` +
        `"SeverityNumber":${uint8Text(r.severityNumber)},"ServiceName":${q(r.serviceName)},"Body":${q(r.body)},` +
        `"ResourceSchemaUrl":${q(r.resourceSchemaUrl)},"ResourceAttributes":${shared.get(r.resourceAttributes)},` +
        `"ScopeSchemaUrl":${q(r.scopeSchemaUrl)},"ScopeName":${q(r.scopeName)},"ScopeVersion":${q(r.scopeVersion)},` +
        `"ScopeAttributes":${shared.get(r.scopeAttributes)},"LogAttributes":${q(r.attributes)},"EventName":${q(r.eventName)}}\n`,
    );
  }
  return out.finish();
}

/**
 * Encoder for OTLP/protobuf log exports (ExportLogsServiceRequest), for agents that ship log
 * records they made themselves (the node agent's container logs). The decoder of the same
 * messages is logs-protobuf.ts; field numbers are those of opentelemetry-proto logs.proto and
 * common.proto.
 *
 * Messages are built inside out: each nested message is encoded into its own buffer first, so
 * its length prefix is known when the parent writes it. Agent batches are small (hundreds to a
 * few thousand records a second), so clarity wins over a single-buffer writer here.
 */
import { attributes, fixed64Field, lenField, stringField, varintField } from './protobuf-encode-fields.ts';

/** One log record as an agent produces it. Attribute values are strings. */
export interface OutgoingLogRecord {
  readonly timeUnixNano: bigint;
  /** When the agent read the line; defaults to `timeUnixNano`. */
  readonly observedTimeUnixNano?: bigint;
  /** OTel severity number (1–24; 0 = unspecified). */
  readonly severityNumber: number;
  readonly severityText: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** 32 hex chars or ''. */
  readonly traceId?: string;
  /** 16 hex chars or ''. */
  readonly spanId?: string;
}

/** The records of one resource (one container), under one instrumentation scope. */
export interface OutgoingResourceLogs {
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly scopeName: string;
  readonly scopeVersion: string;
  readonly records: readonly OutgoingLogRecord[];
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/** An ExportLogsServiceRequest body holding `groups` (one ResourceLogs each). */
export function encodeLogsExportRequest(groups: readonly OutgoingResourceLogs[]): Buffer {
  const parts: Buffer[] = [];
  for (const group of groups) {
    if (group.records.length === 0) continue;
    parts.push(lenField(1, resourceLogs(group)));
  }
  return Buffer.concat(parts);
}

function resourceLogs(group: OutgoingResourceLogs): Buffer {
  const resource = attributes(1, group.resourceAttributes);
  const scope = Buffer.concat([stringField(1, group.scopeName), stringField(2, group.scopeVersion)]);
  const scopeLogs = [lenField(1, scope)];
  for (const record of group.records) scopeLogs.push(lenField(2, logRecord(record)));
  return Buffer.concat([lenField(1, resource), lenField(2, Buffer.concat(scopeLogs))]);
}

function logRecord(r: OutgoingLogRecord): Buffer {
  const parts: Buffer[] = [fixed64Field(1, r.timeUnixNano)];
  if (r.severityNumber !== 0) parts.push(varintField(2, r.severityNumber));
  parts.push(stringField(3, r.severityText));
  parts.push(lenField(5, stringField(1, r.body))); // body: AnyValue.string_value
  parts.push(attributes(6, r.attributes));
  const traceId = (r.traceId ?? '').toLowerCase();
  const spanId = (r.spanId ?? '').toLowerCase();
  // Ids that are not well formed are left out: the server would refuse the whole request.
  if (TRACE_ID.test(traceId)) parts.push(lenField(9, Buffer.from(traceId, 'hex')));
  if (SPAN_ID.test(spanId)) parts.push(lenField(10, Buffer.from(spanId, 'hex')));
  parts.push(fixed64Field(11, r.observedTimeUnixNano ?? r.timeUnixNano));
  return Buffer.concat(parts);
}

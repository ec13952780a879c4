/**
 * Encoder for OTLP/protobuf log exports (ExportLogsServiceRequest), for agents that ship log
 * records they made themselves (the node agent's container logs). The decoder of the same
 * messages is logs-protobuf.ts; field numbers are those of opentelemetry-proto logs.proto and
 * common.proto.
 *
 * Written front to back into one protobufjs writer (protobuf-encode-fields.ts), which puts each
 * nested message's length in front of it when the message is closed.
 */
import {
  beginMessage,
  endMessage,
  finish,
  newWriter,
  writeAttributes,
  writeBytes,
  writeFixed64,
  writeResourceGroup,
  writeString,
  writeUint32,
  type ProtoWriter,
} from './protobuf-encode-fields.ts';

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
  const w = newWriter();
  for (const group of groups) {
    if (group.records.length !== 0) writeResourceGroup(w, group, group.records, logRecord);
  }
  return finish(w);
}

function logRecord(w: ProtoWriter, r: OutgoingLogRecord): void {
  writeFixed64(w, 1, r.timeUnixNano);
  writeUint32(w, 2, r.severityNumber);
  writeString(w, 3, r.severityText);
  beginMessage(w, 5); // body: AnyValue.string_value
  writeString(w, 1, r.body);
  endMessage(w);
  writeAttributes(w, 6, r.attributes);
  const traceId = (r.traceId ?? '').toLowerCase();
  const spanId = (r.spanId ?? '').toLowerCase();
  // Ids that are not well formed are left out: the server would refuse the whole request.
  if (TRACE_ID.test(traceId)) writeBytes(w, 9, Buffer.from(traceId, 'hex'));
  if (SPAN_ID.test(spanId)) writeBytes(w, 10, Buffer.from(spanId, 'hex'));
  writeFixed64(w, 11, r.observedTimeUnixNano ?? r.timeUnixNano);
}

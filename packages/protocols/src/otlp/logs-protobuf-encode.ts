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

const LEN = 2;
const VARINT = 0;
const FIXED64 = 1;
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

/** Repeated KeyValue with string values, in `field`. */
function attributes(field: number, map: Readonly<Record<string, string>>): Buffer {
  const parts: Buffer[] = [];
  for (const [key, value] of Object.entries(map)) {
    const anyValue = lenField(2, value === '' ? Buffer.alloc(0) : stringField(1, value));
    parts.push(lenField(field, Buffer.concat([stringField(1, key), anyValue])));
  }
  return Buffer.concat(parts);
}

function varint(value: number | bigint): Buffer {
  let v = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  while (v >= 0x80n) {
    bytes.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  bytes.push(Number(v));
  return Buffer.from(bytes);
}

const tag = (field: number, wireType: number): Buffer => varint(field * 8 + wireType);

function lenField(field: number, payload: Uint8Array): Buffer {
  return Buffer.concat([tag(field, LEN), varint(payload.length), payload]);
}

/** A string field; '' omitted (proto3 default). */
function stringField(field: number, value: string): Buffer {
  if (value === '') return Buffer.alloc(0);
  return lenField(field, Buffer.from(value, 'utf8'));
}

function varintField(field: number, value: number): Buffer {
  return Buffer.concat([tag(field, VARINT), varint(value)]);
}

/** A fixed64 field; 0 omitted. */
function fixed64Field(field: number, value: bigint): Buffer {
  if (value === 0n) return Buffer.alloc(0);
  const out = Buffer.alloc(9);
  out[0] = field * 8 + FIXED64;
  out.writeBigUInt64LE(BigInt.asUintN(64, value), 1);
  return out;
}

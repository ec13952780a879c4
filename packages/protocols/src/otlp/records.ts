/**
 * Normalised telemetry records: what the OTLP decoders (protobuf and JSON) produce and what the
 * storage layer writes. Field meanings follow the OpenTelemetry Collector's ClickHouse exporter,
 * so a row written by Vigil and one written by that exporter look the same.
 *
 * Attribute values are flattened to strings the way the exporter does (pcommon `AsString`):
 * strings as-is, ints in decimal, doubles in shortest round-trip form, bools `true`/`false`,
 * arrays and maps as JSON, bytes as base64.
 *
 * Resource and scope attribute objects are shared by every record of the same resource/scope;
 * treat them as read-only.
 */

/** Span kinds as the exporter stores them (`traceutil.SpanKindStr`). */
export type SpanKindName = 'Unspecified' | 'Internal' | 'Server' | 'Client' | 'Producer' | 'Consumer';

/** Status codes as the exporter stores them (`traceutil.StatusCodeStr`). */
export type StatusCodeName = 'Unset' | 'Ok' | 'Error';

export type AttributeMap = Record<string, string>;

export interface SpanEventRecord {
  timeUnixNano: bigint;
  name: string;
  attributes: AttributeMap;
}

export interface SpanLinkRecord {
  /** 32 lowercase hex chars. */
  traceId: string;
  /** 16 lowercase hex chars. */
  spanId: string;
  traceState: string;
  attributes: AttributeMap;
}

export interface SpanRecord {
  /** 32 lowercase hex chars, never all zeros. */
  traceId: string;
  /** 16 lowercase hex chars, never all zeros. */
  spanId: string;
  /** 16 lowercase hex chars, or '' for a root span. */
  parentSpanId: string;
  traceState: string;
  name: string;
  kind: SpanKindName;
  startTimeUnixNano: bigint;
  /** end - start in nanoseconds; 0 when end < start. */
  durationNs: number;
  statusCode: StatusCodeName;
  statusMessage: string;
  /** `service.name` resource attribute, '' when absent. */
  serviceName: string;
  resourceAttributes: AttributeMap;
  scopeName: string;
  scopeVersion: string;
  attributes: AttributeMap;
  events: SpanEventRecord[];
  links: SpanLinkRecord[];
}

export interface LogRecord {
  /** time_unix_nano, or observed_time_unix_nano when the former is 0. */
  timeUnixNano: bigint;
  /** 32 lowercase hex chars or ''. */
  traceId: string;
  /** 16 lowercase hex chars or ''. */
  spanId: string;
  traceFlags: number;
  severityText: string;
  severityNumber: number;
  serviceName: string;
  body: string;
  resourceSchemaUrl: string;
  resourceAttributes: AttributeMap;
  scopeSchemaUrl: string;
  scopeName: string;
  scopeVersion: string;
  scopeAttributes: AttributeMap;
  attributes: AttributeMap;
  eventName: string;
}

export * from './otlp/records.ts';
export { DecodeError, isDecodeError, type DecodeErrorLocation } from './decode-error.ts';
export { FieldPath } from './field-path.ts';
export { ProtoReader, WireType, fieldTag } from './protobuf/reader.ts';
export * from './otlp/wire-tags.ts';
export { isZeroBytes } from './otlp/hex.ts';
export {
  readAnyValueString,
  readAttribute,
  readResource,
  readScope,
  type ScopeFields,
} from './otlp/common-protobuf.ts';
export { decodeTracesProtobuf } from './otlp/traces-protobuf.ts';
export { decodeLogsProtobuf } from './otlp/logs-protobuf.ts';
export {
  encodeLogsExportRequest,
  type OutgoingLogRecord,
  type OutgoingResourceLogs,
} from './otlp/logs-protobuf-encode.ts';
export {
  encodeTracesExportRequest,
  OUTGOING_SPAN_KIND,
  OUTGOING_SPAN_STATUS,
  type OutgoingResourceSpans,
  type OutgoingSpan,
} from './otlp/traces-protobuf-encode.ts';
export { decodeTracesJson } from './otlp/traces-json.ts';
export { decodeLogsJson } from './otlp/logs-json.ts';
export { findFutureTimestamp, type FutureTimestamp } from './otlp/timestamps.ts';
export * from './metrics/records.ts';
export * from './remote-write/index.ts';
export { decodeMetricsProtobuf } from './otlp-metrics/metrics-protobuf.ts';
export { decodeMetricsJson } from './otlp-metrics/metrics-json.ts';
export {
  MAX_REJECTED_METRICS,
  rejectionMessage,
  type OtlpMetricsOptions,
  type OtlpMetricsResult,
  type RejectedMetric,
} from './otlp-metrics/result.ts';
export { prometheusMetricName, prometheusUnit, type NamingKind } from './otlp-metrics/metric-name.ts';
export * from './pprof/index.ts';

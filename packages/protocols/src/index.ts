export * from './otlp/records.ts';
export { DecodeError, isDecodeError, type DecodeErrorLocation } from './decode-error.ts';
export { FieldPath } from './field-path.ts';
export { ProtoReader, WireType, fieldTag } from './protobuf/reader.ts';
export { decodeTracesProtobuf } from './otlp/traces-protobuf.ts';
export { decodeLogsProtobuf } from './otlp/logs-protobuf.ts';
export { decodeTracesJson } from './otlp/traces-json.ts';
export { decodeLogsJson } from './otlp/logs-json.ts';
export { findFutureTimestamp, type FutureTimestamp } from './otlp/timestamps.ts';

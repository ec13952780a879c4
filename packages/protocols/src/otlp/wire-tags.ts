/**
 * Field tags (field number << 3 | wire type) of the OTLP messages Vigil decodes, for `switch (tag)`
 * in the record decoders here and the column decoders of @vigil/storage. Field numbers are those
 * of opentelemetry-proto.
 */
import { fieldTag, WireType } from '../protobuf/reader.ts';

const LEN = WireType.lengthDelimited;
const VARINT = WireType.varint;
const I64 = WireType.fixed64;
const I32 = WireType.fixed32;

// common.proto and resource.proto: AnyValue, ArrayValue/KeyValueList, KeyValue, Resource, InstrumentationScope
export const ANY_STRING = fieldTag(1, LEN);
export const ANY_BOOL = fieldTag(2, VARINT);
export const ANY_INT = fieldTag(3, VARINT);
export const ANY_DOUBLE = fieldTag(4, I64);
export const ANY_ARRAY = fieldTag(5, LEN);
export const ANY_KVLIST = fieldTag(6, LEN);
export const ANY_BYTES = fieldTag(7, LEN);
export const LIST_VALUES = fieldTag(1, LEN);
export const KV_KEY = fieldTag(1, LEN);
export const KV_VALUE = fieldTag(2, LEN);
export const RESOURCE_ATTRIBUTES = fieldTag(1, LEN);
export const SCOPE_NAME = fieldTag(1, LEN);
export const SCOPE_VERSION = fieldTag(2, LEN);
export const SCOPE_ATTRIBUTES = fieldTag(3, LEN);

// logs.proto and the logs collector request
export const REQUEST_RESOURCE_LOGS = fieldTag(1, LEN);
export const RESOURCE_LOGS_RESOURCE = fieldTag(1, LEN);
export const RESOURCE_LOGS_SCOPE_LOGS = fieldTag(2, LEN);
export const RESOURCE_LOGS_SCHEMA_URL = fieldTag(3, LEN);
export const SCOPE_LOGS_SCOPE = fieldTag(1, LEN);
export const SCOPE_LOGS_LOG_RECORDS = fieldTag(2, LEN);
export const SCOPE_LOGS_SCHEMA_URL = fieldTag(3, LEN);
export const LOG_TIME = fieldTag(1, I64);
export const LOG_SEVERITY_NUMBER = fieldTag(2, VARINT);
export const LOG_SEVERITY_TEXT = fieldTag(3, LEN);
export const LOG_BODY = fieldTag(5, LEN);
export const LOG_ATTRIBUTES = fieldTag(6, LEN);
export const LOG_FLAGS = fieldTag(8, I32);
export const LOG_TRACE_ID = fieldTag(9, LEN);
export const LOG_SPAN_ID = fieldTag(10, LEN);
export const LOG_OBSERVED_TIME = fieldTag(11, I64);
export const LOG_EVENT_NAME = fieldTag(12, LEN);

// trace.proto and the trace collector request
export const REQUEST_RESOURCE_SPANS = fieldTag(1, LEN);
export const RESOURCE_SPANS_RESOURCE = fieldTag(1, LEN);
export const RESOURCE_SPANS_SCOPE_SPANS = fieldTag(2, LEN);
export const SCOPE_SPANS_SCOPE = fieldTag(1, LEN);
export const SCOPE_SPANS_SPANS = fieldTag(2, LEN);
export const SPAN_TRACE_ID = fieldTag(1, LEN);
export const SPAN_SPAN_ID = fieldTag(2, LEN);
export const SPAN_TRACE_STATE = fieldTag(3, LEN);
export const SPAN_PARENT_SPAN_ID = fieldTag(4, LEN);
export const SPAN_NAME = fieldTag(5, LEN);
export const SPAN_KIND = fieldTag(6, VARINT);
export const SPAN_START_TIME = fieldTag(7, I64);
export const SPAN_END_TIME = fieldTag(8, I64);
export const SPAN_ATTRIBUTES = fieldTag(9, LEN);
export const SPAN_EVENTS = fieldTag(11, LEN);
export const SPAN_LINKS = fieldTag(13, LEN);
export const SPAN_STATUS = fieldTag(15, LEN);
export const STATUS_MESSAGE = fieldTag(2, LEN);
export const STATUS_CODE = fieldTag(3, VARINT);

// trace.proto: Span.Event and Span.Link
export const EVENT_TIME = fieldTag(1, I64);
export const EVENT_NAME = fieldTag(2, LEN);
export const EVENT_ATTRIBUTES = fieldTag(3, LEN);
export const LINK_TRACE_ID = fieldTag(1, LEN);
export const LINK_SPAN_ID = fieldTag(2, LEN);
export const LINK_TRACE_STATE = fieldTag(3, LEN);
export const LINK_ATTRIBUTES = fieldTag(4, LEN);

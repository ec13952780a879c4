/**
 * Decoder for OTLP/protobuf log exports (opentelemetry.proto.collector.logs.v1
 * .ExportLogsServiceRequest) straight into {@link LogRecord}s. Field numbers are those of
 * logs.proto; see traces-protobuf.ts for the reading approach.
 */
import { ProtoReader } from '../protobuf/reader.ts';
import {
  readAnyValueString,
  readAttribute,
  readId,
  readResource,
  readScope,
  type ScopeFields,
} from './common-protobuf.ts';
import type { AttributeMap, LogRecord } from './records.ts';
import {
  REQUEST_RESOURCE_LOGS,
  RESOURCE_LOGS_RESOURCE,
  RESOURCE_LOGS_SCOPE_LOGS,
  RESOURCE_LOGS_SCHEMA_URL,
  SCOPE_LOGS_SCOPE,
  SCOPE_LOGS_LOG_RECORDS,
  SCOPE_LOGS_SCHEMA_URL,
  LOG_TIME,
  LOG_SEVERITY_NUMBER,
  LOG_SEVERITY_TEXT,
  LOG_BODY,
  LOG_ATTRIBUTES,
  LOG_FLAGS,
  LOG_TRACE_ID,
  LOG_SPAN_ID,
  LOG_OBSERVED_TIME,
  LOG_EVENT_NAME,
} from './wire-tags.ts';

/** Resource and scope fields every log record of one ScopeLogs shares. */
interface LogContext {
  serviceName: string;
  resourceSchemaUrl: string;
  resourceAttributes: AttributeMap;
  scopeSchemaUrl: string;
  scope: ScopeFields;
}

/**
 * Decodes an OTLP/protobuf ExportLogsServiceRequest body.
 *
 * @throws DecodeError (code 'bad_request') for malformed protobuf, or a trace_id that is neither
 *   empty nor 16 bytes, or a span_id that is neither empty nor 8 bytes.
 */
export function decodeLogsProtobuf(body: Uint8Array): LogRecord[] {
  const r = new ProtoReader(body);
  const out: LogRecord[] = [];
  let index = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === REQUEST_RESOURCE_LOGS) {
      r.path.push('resourceLogs', index++);
      readResourceLogs(r, out);
      r.path.pop();
    } else {
      r.skip(tag);
    }
  }
  return out;
}

function readResourceLogs(r: ProtoReader, out: LogRecord[]): void {
  const outer = r.enter();
  const start = r.pos;
  // First pass for the fields every record needs (they may follow scope_logs on the wire).
  const resourceAttributes: AttributeMap = {};
  let resourceSchemaUrl = '';
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === RESOURCE_LOGS_RESOURCE) readResource(r, resourceAttributes);
    else if (tag === RESOURCE_LOGS_SCHEMA_URL) resourceSchemaUrl = r.string();
    else r.skip(tag);
  }
  const serviceName = resourceAttributes['service.name'] ?? '';
  r.pos = start;
  let index = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === RESOURCE_LOGS_SCOPE_LOGS) {
      r.path.push('scopeLogs', index++);
      readScopeLogs(r, out, serviceName, resourceSchemaUrl, resourceAttributes);
      r.path.pop();
    } else {
      r.skip(tag);
    }
  }
  r.leave(outer);
}

function readScopeLogs(
  r: ProtoReader,
  out: LogRecord[],
  serviceName: string,
  resourceSchemaUrl: string,
  resourceAttributes: AttributeMap,
): void {
  const outer = r.enter();
  const start = r.pos;
  const scope: ScopeFields = { name: '', version: '', attributes: {} };
  let scopeSchemaUrl = '';
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === SCOPE_LOGS_SCOPE) readScope(r, scope);
    else if (tag === SCOPE_LOGS_SCHEMA_URL) scopeSchemaUrl = r.string();
    else r.skip(tag);
  }
  const context: LogContext = { serviceName, resourceSchemaUrl, resourceAttributes, scopeSchemaUrl, scope };
  r.pos = start;
  let index = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === SCOPE_LOGS_LOG_RECORDS) {
      r.path.push('logRecords', index++);
      out.push(readLogRecord(r, context));
      r.path.pop();
    } else {
      r.skip(tag);
    }
  }
  r.leave(outer);
}

function readLogRecord(r: ProtoReader, context: LogContext): LogRecord {
  const outer = r.enter();
  let timeUnixNano = 0n;
  let observedTimeUnixNano = 0n;
  let severityNumber = 0;
  let severityText = '';
  let body = '';
  const attributes: AttributeMap = {};
  let attributeIndex = 0;
  let flags = 0;
  let traceId = '';
  let spanId = '';
  let eventName = '';
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case LOG_TIME:
        timeUnixNano = r.fixed64();
        break;
      case LOG_OBSERVED_TIME:
        observedTimeUnixNano = r.fixed64();
        break;
      case LOG_SEVERITY_NUMBER:
        severityNumber = r.int32();
        break;
      case LOG_SEVERITY_TEXT:
        severityText = r.string();
        break;
      case LOG_BODY:
        r.path.push('body');
        body = readAnyValueString(r);
        r.path.pop();
        break;
      case LOG_ATTRIBUTES:
        r.path.push('attributes', attributeIndex++);
        readAttribute(r, attributes);
        r.path.pop();
        break;
      case LOG_FLAGS:
        flags = r.fixed32();
        break;
      case LOG_TRACE_ID:
        traceId = readId(r, 16, 'traceId', 'empty');
        break;
      case LOG_SPAN_ID:
        spanId = readId(r, 8, 'spanId', 'empty');
        break;
      case LOG_EVENT_NAME:
        eventName = r.string();
        break;
      default:
        r.skip(tag);
    }
  }
  r.leave(outer);
  const scope = context.scope;
  return {
    // The spec lets sources without their own clock omit time_unix_nano; the observed time is
    // the best remaining estimate of when the event happened.
    timeUnixNano: timeUnixNano === 0n ? observedTimeUnixNano : timeUnixNano,
    traceId,
    spanId,
    // The low byte of flags is the W3C trace flags; the rest is reserved.
    traceFlags: flags & 0xff,
    severityText,
    severityNumber,
    serviceName: context.serviceName,
    body,
    resourceSchemaUrl: context.resourceSchemaUrl,
    resourceAttributes: context.resourceAttributes,
    scopeSchemaUrl: context.scopeSchemaUrl,
    scopeName: scope.name,
    scopeVersion: scope.version,
    scopeAttributes: scope.attributes,
    attributes,
    eventName,
  };
}

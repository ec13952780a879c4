/**
 * What the decoders must produce for the SDK fixtures in otel-sdk.ts, derived from the SDK's own
 * ReadableSpan/ReadableLogRecord objects (ids, times, names) and the value tables (strings).
 */
import type { AttributeValue } from '@opentelemetry/api';
import type { AnyValue } from '@opentelemetry/api-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { AttributeMap, LogRecord, SpanKindName, SpanRecord, StatusCodeName } from '../otlp/records.ts';
import {
  hrTimeToNanos,
  LOG_RESOURCE_SCHEMA_URL,
  LOG_SCOPE_SCHEMA_URL,
  LOG_VALUE_CASES,
  RESOURCE_ATTRIBUTES_AS_STRINGS,
} from './otel-sdk.ts';

// The API's SpanKind starts at INTERNAL = 0; OTLP inserts UNSPECIFIED = 0 before it.
const KIND_NAMES: readonly SpanKindName[] = ['Internal', 'Server', 'Client', 'Producer', 'Consumer'];
const STATUS_NAMES: readonly StatusCodeName[] = ['Unset', 'Ok', 'Error'];

const EXPECTED_BY_KEY = new Map(LOG_VALUE_CASES.map((c) => [c.key, c.expected]));

/** The expected string for a fixture value: from the case tables, or trivially for primitives. */
function expectedString(key: string, value: AttributeValue | AnyValue): string {
  const fromTable = EXPECTED_BY_KEY.get(key);
  if (fromTable !== undefined) return fromTable;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isSafeInteger(value)))
    return String(value);
  throw new Error(`no expected string for fixture attribute ${key}`);
}

function expectedAttributes(
  attributes: Readonly<Record<string, AttributeValue | AnyValue | undefined>> | undefined,
): AttributeMap {
  const out: AttributeMap = {};
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (value !== undefined) out[key] = expectedString(key, value);
  }
  return out;
}

/** The record a decoder must produce for a span recorded by otel-sdk.ts#recordSpans. */
export function expectedSpan(span: ReadableSpan): SpanRecord {
  const context = span.spanContext();
  const start = hrTimeToNanos(span.startTime);
  const duration = hrTimeToNanos(span.endTime) - start;
  const serviceName = String(span.resource.attributes['service.name']);
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? '',
    traceState: context.traceState?.serialize() ?? '',
    name: span.name,
    kind: KIND_NAMES[span.kind]!,
    startTimeUnixNano: start,
    durationNs: duration > 0n ? Number(duration) : 0,
    statusCode: STATUS_NAMES[span.status.code]!,
    statusMessage: span.status.message ?? '',
    serviceName,
    resourceAttributes:
      serviceName === 'checkout' ? RESOURCE_ATTRIBUTES_AS_STRINGS : { 'service.name': serviceName },
    scopeName: span.instrumentationScope.name,
    scopeVersion: span.instrumentationScope.version ?? '',
    attributes: expectedAttributes(span.attributes),
    events: span.events.map((event) => ({
      timeUnixNano: hrTimeToNanos(event.time),
      name: event.name,
      attributes: expectedAttributes(event.attributes),
    })),
    links: span.links.map((link) => ({
      traceId: link.context.traceId,
      spanId: link.context.spanId,
      traceState: link.context.traceState?.serialize() ?? '',
      attributes: expectedAttributes(link.attributes),
    })),
  };
}

/** The record a decoder must produce for a log recorded by otel-sdk.ts#recordLogs. */
export function expectedLog(log: ReadableLogRecord): LogRecord {
  const caseKey = log.attributes['case'];
  const body =
    typeof caseKey === 'string'
      ? EXPECTED_BY_KEY.get(caseKey)!
      : log.body === undefined
        ? ''
        : expectedString('', log.body);
  return {
    timeUnixNano: hrTimeToNanos(log.hrTime),
    traceId: log.spanContext?.traceId ?? '',
    spanId: log.spanContext?.spanId ?? '',
    traceFlags: log.spanContext?.traceFlags ?? 0,
    severityText: log.severityText ?? '',
    severityNumber: log.severityNumber ?? 0,
    serviceName: 'checkout',
    body,
    resourceSchemaUrl: LOG_RESOURCE_SCHEMA_URL,
    resourceAttributes: RESOURCE_ATTRIBUTES_AS_STRINGS,
    scopeSchemaUrl: LOG_SCOPE_SCHEMA_URL,
    scopeName: log.instrumentationScope.name,
    scopeVersion: log.instrumentationScope.version ?? '',
    scopeAttributes: { 'scope.team': 'core', 'scope.shard': '3' },
    attributes: expectedAttributes(log.attributes),
    eventName: log.eventName ?? '',
  };
}

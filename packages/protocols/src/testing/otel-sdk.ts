/**
 * Test fixtures produced by the real OpenTelemetry JS SDK: spans and log records recorded through
 * the SDK's providers, serialized by its own OTLP serializers. Each value case carries the string
 * the Collector's `AsString` gives for it, so tests compare decoder output with an independent
 * expectation rather than with the decoder's own formatting.
 */
import {
  createTraceState,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
} from '@opentelemetry/api';
import type { AttributeValue, HrTime } from '@opentelemetry/api';
import type { AnyValue } from '@opentelemetry/api-logs';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** A value handed to the SDK and the string the decoders must turn it into. */
export interface ValueCase<V> {
  key: string;
  value: V;
  expected: string;
}

/** Span attribute values of every kind the trace API accepts. */
export const SPAN_ATTRIBUTE_CASES: readonly ValueCase<AttributeValue>[] = [
  { key: 'string', value: 'hello, wörld', expected: 'hello, wörld' },
  { key: 'string.html', value: '<a href="x">&</a>', expected: '<a href="x">&</a>' },
  { key: 'string.empty', value: '', expected: '' },
  { key: 'bool.true', value: true, expected: 'true' },
  { key: 'bool.false', value: false, expected: 'false' },
  { key: 'int', value: 42, expected: '42' },
  { key: 'int.negative', value: -7, expected: '-7' },
  { key: 'int.2^60', value: 2 ** 60, expected: '1152921504606846976' },
  { key: 'int.-2^62', value: -(2 ** 62), expected: '-4611686018427387904' },
  { key: 'double', value: 3.25, expected: '3.25' },
  { key: 'double.tenth', value: 0.1, expected: '0.1' },
  { key: 'double.tiny', value: 1.5e-7, expected: '1.5e-7' },
  { key: 'double.huge', value: 1e21, expected: '1e+21' },
  { key: 'double.max', value: Number.MAX_VALUE, expected: '1.7976931348623157e+308' },
  { key: 'array.string', value: ['a', 'b"c'], expected: '["a","b\\"c"]' },
  { key: 'array.html', value: ['<&>'], expected: '["\\u003c\\u0026\\u003e"]' },
  { key: 'array.number', value: [1, 2.5, -3], expected: '[1,2.5,-3]' },
  { key: 'array.bool', value: [true, false], expected: '[true,false]' },
  { key: 'array.with-null', value: ['a', null], expected: '["a",null]' },
  { key: 'array.empty', value: [], expected: '[]' },
];

/** Log attribute/body values: everything above plus the AnyValue kinds only logs can carry. */
export const LOG_VALUE_CASES: readonly ValueCase<AnyValue>[] = [
  ...(SPAN_ATTRIBUTE_CASES as readonly ValueCase<AnyValue>[]),
  { key: 'bytes', value: Uint8Array.from([0, 1, 2, 250, 255]), expected: 'AAEC+v8=' },
  { key: 'bytes.empty', value: new Uint8Array(0), expected: '' },
  {
    key: 'map',
    value: { zeta: 1, alpha: 'x', mid: [true, { b: 2, a: 1.5 }], bytes: Uint8Array.from([255]) },
    expected: '{"alpha":"x","bytes":"/w==","mid":[true,{"a":1.5,"b":2}],"zeta":1}',
  },
  { key: 'map.empty', value: {}, expected: '{}' },
  { key: 'array.of-maps', value: [{ k: 'v' }, []], expected: '[{"k":"v"},[]]' },
];

export const RESOURCE_ATTRIBUTES = {
  'service.name': 'checkout',
  'service.version': '2.4.1',
  'host.cpu.count': 8,
  'process.runtime.debug': false,
} as const;
export const RESOURCE_ATTRIBUTES_AS_STRINGS = {
  'service.name': 'checkout',
  'service.version': '2.4.1',
  'host.cpu.count': '8',
  'process.runtime.debug': 'false',
};
export const LINKED_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
export const LINKED_SPAN_ID = 'b7ad6b7169203331';

const at = (seconds: number, nanos: number): HrTime => [seconds, nanos];

/** Converts an SDK HrTime to Unix nanoseconds exactly. */
export const hrTimeToNanos = (time: HrTime): bigint => BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);

/**
 * Records a small realistic trace through the SDK: a SERVER root with attributes of every kind,
 * an event and an error status; a CLIENT child with a link; and one span of each remaining kind.
 * A second provider adds a span from another service, so the export has two resources.
 */
export async function recordSpans(): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(RESOURCE_ATTRIBUTES),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('vigil-test', '1.2.3');
  const root = tracer.startSpan('GET /cart', {
    kind: SpanKind.SERVER,
    startTime: at(1_700_000_000, 123_456_789),
    attributes: Object.fromEntries(SPAN_ATTRIBUTE_CASES.map((c) => [c.key, c.value])),
  });
  root.addEvent('cache.miss', { 'cache.key': 'cart:42', attempt: 2 }, at(1_700_000_000, 200_000_001));
  root.addEvent('no-attributes', at(1_700_000_000, 200_000_002));
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream timeout' });
  const inRoot = trace.setSpan(ROOT_CONTEXT, root);
  const child = tracer.startSpan(
    'SELECT carts',
    {
      kind: SpanKind.CLIENT,
      startTime: at(1_700_000_000, 300_000_000),
      links: [
        {
          context: {
            traceId: LINKED_TRACE_ID,
            spanId: LINKED_SPAN_ID,
            traceFlags: TraceFlags.SAMPLED,
            traceState: createTraceState('vendor=value,other=1'),
          },
          attributes: { 'link.reason': 'retry', 'link.attempt': 3 },
        },
      ],
    },
    inRoot,
  );
  child.setStatus({ code: SpanStatusCode.OK });
  child.end(at(1_700_000_000, 450_000_007));
  const kinds = [SpanKind.INTERNAL, SpanKind.PRODUCER, SpanKind.CONSUMER];
  for (const [i, kind] of kinds.entries()) {
    tracer
      .startSpan(`kind-${kind}`, { kind, startTime: at(1_700_000_000, 500_000_000 + i) }, inRoot)
      .end(at(1_700_000_000, 600_000_000));
  }
  // Ends before it starts (a skewed client clock): the duration must clamp to 0.
  tracer
    .startSpan('clock-skew', { startTime: at(1_700_000_002, 0) }, inRoot)
    .end(at(1_700_000_001, 999_999_999));
  root.end(at(1_700_000_001, 5));

  const otherExporter = new InMemorySpanExporter();
  const other = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'payments' }),
    spanProcessors: [new SimpleSpanProcessor(otherExporter)],
  });
  other
    .getTracer('payments-lib')
    .startSpan('charge', { startTime: at(1_700_000_003, 1) })
    .end(at(1_700_000_003, 2));

  await Promise.all([provider.forceFlush(), other.forceFlush()]);
  const spans = [...exporter.getFinishedSpans(), ...otherExporter.getFinishedSpans()];
  await Promise.all([provider.shutdown(), other.shutdown()]);
  return spans;
}

export const LOG_RESOURCE_SCHEMA_URL = 'https://opentelemetry.io/schemas/1.25.0';
export const LOG_SCOPE_SCHEMA_URL = 'https://opentelemetry.io/schemas/1.26.0';

/**
 * Records log records through the SDK: one per body kind in {@link LOG_VALUE_CASES} (the key is
 * in attribute `case`), one with every attribute kind, one inside a sampled span context with
 * an event name, and one without body.
 */
export async function recordLogs(): Promise<ReadableLogRecord[]> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes(RESOURCE_ATTRIBUTES, { schemaUrl: LOG_RESOURCE_SCHEMA_URL }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('vigil-logs', '0.9.0', {
    schemaUrl: LOG_SCOPE_SCHEMA_URL,
    attributes: { 'scope.team': 'core', 'scope.shard': 3 },
  });
  for (const [i, c] of LOG_VALUE_CASES.entries()) {
    logger.emit({
      body: c.value,
      attributes: { case: c.key },
      severityNumber: SeverityNumber.INFO,
      severityText: 'INFO',
      timestamp: at(1_700_000_100, i),
      observedTimestamp: at(1_700_000_100, 1000 + i),
    });
  }
  logger.emit({
    body: 'every attribute kind',
    attributes: Object.fromEntries(LOG_VALUE_CASES.map((c) => [c.key, c.value])),
    severityNumber: SeverityNumber.WARN2,
    severityText: 'warning',
    timestamp: at(1_700_000_200, 999_999_999),
  });
  const spanContext = { traceId: LINKED_TRACE_ID, spanId: LINKED_SPAN_ID, traceFlags: TraceFlags.SAMPLED };
  logger.emit({
    body: 'inside a span',
    eventName: 'cart.checkout',
    severityNumber: SeverityNumber.ERROR,
    severityText: 'ERROR',
    timestamp: at(1_700_000_300, 1),
    context: trace.setSpanContext(ROOT_CONTEXT, spanContext),
  });
  logger.emit({ severityNumber: SeverityNumber.DEBUG, timestamp: at(1_700_000_400, 0) });
  await provider.forceFlush();
  const logs = [...exporter.getFinishedLogRecords()];
  await provider.shutdown();
  return logs;
}

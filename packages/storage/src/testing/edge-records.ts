/**
 * Hand-written spans and log records at the edges of the insert encoders: empty strings and
 * maps, escapes, 2-, 3- and 4-byte UTF-8, lone surrogates, strings around the length-prefix
 * boundaries (42/43 and 127/128 UTF-16 units), a 1 MB attribute value, events and links present
 * and absent, timestamps exact to the nanosecond, zero and out-of-range numbers.
 *
 * No timestamp before 1973-03-03: the TSV path cannot store them (ClickHouse 26.7 reads seconds
 * of fewer than 9 digits, e.g. `0.000000000`, as a malformed date: CANNOT_PARSE_DATETIME), and
 * these records are compared with TSV. The Native encoder's clamping is in its unit tests.
 */
import type { LogRecord, SpanRecord } from '@vigil/protocols';
import { nsAt } from './test-database.ts';

const TRICKY = 'quote \' double " back\\slash\nnewline\ttab\r nul\0 ünïcödé 日本 🎉𝄞 {p0:String}';
const HUGE = 'x'.repeat(1_000_000);
/** Strings around the encoder's length-prefix boundaries, mixed with non-ASCII neighbours. */
const BOUNDARIES = {
  a42: 'a'.repeat(42),
  a43: 'a'.repeat(43),
  a127: 'a'.repeat(127),
  a128: 'a'.repeat(128),
  e43: 'é'.repeat(43),
  cjk43: '日'.repeat(43),
  emoji64: '🎉'.repeat(64), // 128 UTF-16 units, 256 bytes
  a6000: 'a'.repeat(6000),
};
const UNICODE_KEYS = { ключ: 'значение', '🎉': '𝄞', 'lone\uD800': 'surrogate\uDC00' };

const TRACE = '0af7651916cd43dd8448eb211c80319c';

/** Spans around `ms` (Unix ms), each with a distinct SpanId. */
export function edgeSpans(ms: number): SpanRecord[] {
  const base: SpanRecord = {
    traceId: TRACE,
    spanId: '0000000000000001',
    parentSpanId: '',
    traceState: '',
    name: '',
    kind: 'Unspecified',
    startTimeUnixNano: nsAt(ms, 1),
    durationNs: 0,
    statusCode: 'Unset',
    statusMessage: '',
    serviceName: '',
    resourceAttributes: {},
    scopeName: '',
    scopeVersion: '',
    attributes: {},
    events: [],
    links: [],
  };
  const shared = { 'service.name': 'edge', [TRICKY]: TRICKY };
  return [
    base,
    {
      ...base,
      spanId: '0000000000000002',
      parentSpanId: '0000000000000001',
      traceState: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
      name: TRICKY,
      kind: 'Server',
      startTimeUnixNano: nsAt(ms, 999_999),
      durationNs: 1.9, // fractional: floored to 1 like the TSV encoder
      statusCode: 'Error',
      statusMessage: TRICKY,
      serviceName: 'edge',
      resourceAttributes: shared,
      scopeName: 'scope 🎉',
      scopeVersion: '1.0.0',
      attributes: { ...BOUNDARIES, ...UNICODE_KEYS, empty: '', '': 'empty key', huge: HUGE },
      events: [
        {
          timeUnixNano: nsAt(ms, 123_456_789),
          name: 'exception',
          attributes: { 'exception.message': TRICKY },
        },
        { timeUnixNano: nsAt(ms, 5), name: '', attributes: {} },
      ],
      links: [
        { traceId: TRACE, spanId: '0000000000000001', traceState: '', attributes: {} },
        { traceId: 'f'.repeat(32), spanId: 'e'.repeat(16), traceState: 'k=v', attributes: UNICODE_KEYS },
      ],
    },
    {
      ...base,
      spanId: '0000000000000003',
      resourceAttributes: shared, // the same object again: the shared-map path
      durationNs: -5, // a broken clock: stored as 0
      links: [{ traceId: TRACE, spanId: '0000000000000002', traceState: TRICKY, attributes: { a: 'b' } }],
    },
    {
      ...base,
      spanId: '0000000000000004',
      startTimeUnixNano: nsAt(ms, 999_999_999),
      // The largest exact duration: above 2^53 TSV writes JS's shortest decimal (2^60 as
      // 1152921504606847000), Native the double's exact value (…6976).
      durationNs: 2 ** 53 - 1,
      events: [
        { timeUnixNano: nsAt(ms), name: 'no attributes on the span', attributes: { k: BOUNDARIES.emoji64 } },
      ],
    },
  ];
}

/** Log records around `ms` (Unix ms), each with a distinct Body prefix. */
export function edgeLogs(ms: number): LogRecord[] {
  const base: LogRecord = {
    timeUnixNano: nsAt(ms, 1),
    traceId: '',
    spanId: '',
    traceFlags: 0,
    severityText: '',
    severityNumber: 0,
    serviceName: '',
    body: '0',
    resourceSchemaUrl: '',
    resourceAttributes: {},
    scopeSchemaUrl: '',
    scopeName: '',
    scopeVersion: '',
    scopeAttributes: {},
    attributes: {},
    eventName: '',
  };
  const resource = { 'service.name': 'edge', [TRICKY]: TRICKY };
  const scope = { 'scope.attr': 'ü' };
  return [
    base,
    {
      ...base,
      timeUnixNano: nsAt(ms, 123_456_789),
      traceId: TRACE,
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
      severityText: 'ERROR',
      severityNumber: 17,
      serviceName: 'edge',
      body: `1 ${TRICKY}`,
      resourceSchemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
      resourceAttributes: resource,
      scopeSchemaUrl: 'https://example.com/🎉',
      scopeName: 'scope',
      scopeVersion: '2',
      scopeAttributes: scope,
      attributes: { ...BOUNDARIES, ...UNICODE_KEYS, huge: HUGE },
      eventName: 'event ü',
    },
    {
      ...base,
      body: `2 ${HUGE}`,
      traceFlags: 300, // out of UInt8 range: 0, like the TSV encoder
      severityNumber: -1,
      resourceAttributes: resource,
      scopeAttributes: scope,
    },
    { ...base, body: `3 ${BOUNDARIES.cjk43}`, timeUnixNano: nsAt(ms, 999_999_999) },
  ];
}

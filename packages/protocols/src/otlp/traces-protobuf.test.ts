import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { beforeAll, describe, expect, it } from 'vitest';
import { DecodeError } from '../decode-error.ts';
import { catchDecodeError, seededRandom } from '../testing/catch-decode-error.ts';
import { expectedSpan } from '../testing/expected-records.ts';
import { recordSpans } from '../testing/otel-sdk.ts';
import {
  protobufKeyValue,
  protobufRequest,
  SPAN_ID,
  TRACE_ID,
  validProtobufSpan,
} from '../testing/trace-requests.ts';
import {
  bytes,
  dfield,
  f32field,
  f64field,
  hexBytes,
  lfield,
  sfield,
  tag,
  vfield,
} from '../testing/proto-writer.ts';
import type { SpanRecord } from './records.ts';
import { decodeTracesProtobuf } from './traces-protobuf.ts';

/** Decodes one span whose only attribute `v` has the given AnyValue parts. */
const attributeOf = (...anyValue: number[][]): string | undefined =>
  decodeTracesProtobuf(protobufRequest(validProtobufSpan(lfield(9, protobufKeyValue('v', ...anyValue)))))[0]
    ?.attributes['v'];

describe('decodeTracesProtobuf with bodies from the OpenTelemetry JS SDK', () => {
  let spans: ReadableSpan[];
  let decoded: SpanRecord[];
  beforeAll(async () => {
    spans = await recordSpans();
    decoded = decodeTracesProtobuf(ProtobufTraceSerializer.serializeRequest(spans)!);
  });

  it('decodes every span exactly as the SDK recorded it', () => {
    expect(decoded).toHaveLength(spans.length);
    const bySpanId = new Map(decoded.map((s) => [s.spanId, s]));
    for (const span of spans) expect(bySpanId.get(span.spanContext().spanId)).toEqual(expectedSpan(span));
  });

  it('covers every span kind, a parent, events, links, status codes and clamped durations', () => {
    expect(new Set(decoded.map((s) => s.kind))).toEqual(
      new Set(['Server', 'Client', 'Internal', 'Producer', 'Consumer']),
    );
    const root = decoded.find((s) => s.name === 'GET /cart')!;
    expect(root).toMatchObject({
      statusCode: 'Error',
      statusMessage: 'upstream timeout',
      durationNs: 876_543_216,
    });
    expect(root.events.map((e) => e.name)).toEqual(['cache.miss', 'no-attributes']);
    expect(decoded.find((s) => s.name === 'SELECT carts')).toMatchObject({
      parentSpanId: root.spanId,
      statusCode: 'Ok',
    });
    expect(decoded.find((s) => s.name === 'clock-skew')?.durationNs).toBe(0);
  });

  it('shares one resource attribute object among the spans of a resource', () => {
    const checkout = decoded.filter((s) => s.serviceName === 'checkout');
    expect(checkout.length).toBeGreaterThan(1);
    for (const span of checkout) expect(span.resourceAttributes).toBe(checkout[0]!.resourceAttributes);
    expect(decoded.find((s) => s.serviceName === 'payments')?.resourceAttributes).toEqual({
      'service.name': 'payments',
    });
  });

  it('throws a DecodeError for every truncation that cuts a message, and nothing else', () => {
    const body = ProtobufTraceSerializer.serializeRequest(spans)!;
    let failures = 0;
    for (let length = 0; length < body.length; length++) {
      try {
        decodeTracesProtobuf(body.subarray(0, length));
      } catch (err) {
        expect(err).toBeInstanceOf(DecodeError);
        failures++;
      }
    }
    // Only cuts between the two top-level ResourceSpans (and the empty body) are valid requests.
    expect(failures).toBe(body.length - 2);
  });

  it('never throws anything but a DecodeError on corrupted bytes', () => {
    const original = ProtobufTraceSerializer.serializeRequest(spans)!;
    const random = seededRandom(42);
    for (let i = 0; i < 2000; i++) {
      const body = original.slice();
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--)
        body[Math.floor(random() * body.length)] = Math.floor(random() * 256);
      try {
        decodeTracesProtobuf(body);
      } catch (err) {
        expect(err).toBeInstanceOf(DecodeError);
      }
    }
  });
});

describe('decodeTracesProtobuf wire-format handling', () => {
  it('returns no spans for an empty request', () => {
    expect(decodeTracesProtobuf(new Uint8Array(0))).toEqual([]);
  });

  it('accepts fields in any order, merges repeated embedded messages and skips unknown fields', () => {
    const span = [
      ...lfield(15, vfield(3, 2), sfield(2, 'boom'), vfield(7, 1)),
      ...lfield(9, lfield(2, sfield(1, 'value-first')), sfield(1, 'k')),
      ...f64field(8, 1_700_000_000_000_000_500n),
      ...f64field(7, 1_700_000_000_000_000_000n),
      ...tag(99, 3),
      ...vfield(1, 1),
      ...tag(99, 4),
      ...f32field(16, 0x301),
      ...vfield(6, 3),
      ...sfield(5, 'late-name'),
      ...lfield(2, hexBytes(SPAN_ID)),
      ...lfield(1, hexBytes(TRACE_ID)),
      ...dfield(100, 1.5),
    ];
    const scopeSpans = [...lfield(2, span), ...lfield(1, sfield(2, '9.9'), sfield(1, 'late-scope'))];
    const resource = (key: string, value: string): number[] =>
      lfield(1, lfield(1, protobufKeyValue(key, sfield(1, value))));
    const body = bytes(
      lfield(
        1,
        lfield(2, scopeSpans),
        resource('service.name', 'svc'),
        sfield(3, 'schema'),
        resource('host', 'h1'),
      ),
      vfield(2, 7),
    );
    expect(decodeTracesProtobuf(body)).toEqual([
      {
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        parentSpanId: '',
        traceState: '',
        name: 'late-name',
        kind: 'Client',
        startTimeUnixNano: 1_700_000_000_000_000_000n,
        durationNs: 500,
        statusCode: 'Error',
        statusMessage: 'boom',
        serviceName: 'svc',
        resourceAttributes: { 'service.name': 'svc', host: 'h1' },
        scopeName: 'late-scope',
        scopeVersion: '9.9',
        attributes: { k: 'value-first' },
        events: [],
        links: [],
      } satisfies SpanRecord,
    ]);
  });

  it('stores unknown enum numbers as Unspecified and Unset', () => {
    const [span] = decodeTracesProtobuf(
      protobufRequest(validProtobufSpan(vfield(6, 42), lfield(15, vfield(3, 9)))),
    );
    expect(span).toMatchObject({ kind: 'Unspecified', statusCode: 'Unset' });
  });

  it('turns an all-zero parent or link context into empty ids', () => {
    const zeroLink = lfield(
      13,
      lfield(1, new Uint8Array(16)),
      lfield(2, new Uint8Array(8)),
      sfield(3, 'k=v'),
    );
    const [span] = decodeTracesProtobuf(
      protobufRequest(validProtobufSpan(lfield(4, new Uint8Array(8)), zeroLink)),
    );
    expect(span?.parentSpanId).toBe('');
    expect(span?.links).toEqual([{ traceId: '', spanId: '', traceState: 'k=v', attributes: {} }]);
  });

  const member = (key: string, ...value: number[][]): number[] =>
    lfield(1, sfield(1, key), lfield(2, ...value));
  it.each([
    { name: 'a string', value: [sfield(1, 'x')], expected: 'x' },
    { name: 'an explicit false', value: [vfield(2, 0)], expected: 'false' },
    { name: 'the smallest int64', value: [vfield(3, -(2n ** 63n))], expected: '-9223372036854775808' },
    { name: 'a NaN double', value: [dfield(4, NaN)], expected: 'json: unsupported value: NaN' },
    { name: 'negative zero', value: [dfield(4, -0)], expected: '-0' },
    { name: 'an empty AnyValue', value: [], expected: '' },
    { name: 'bytes', value: [lfield(7, [0xde, 0xad, 0xbe, 0xef])], expected: '3q2+7w==' },
    {
      name: 'an array with an empty value',
      value: [lfield(5, lfield(1), lfield(1, vfield(3, 5)))],
      expected: '[null,5]',
    },
    { name: 'an array holding NaN', value: [lfield(5, lfield(1, dfield(4, NaN)))], expected: '' },
    {
      name: 'a kvlist with unsorted and repeated keys',
      value: [lfield(6, member('b', vfield(3, 1)), member('a', sfield(1, '<')), member('b', vfield(2, 1)))],
      expected: '{"a":"\\u003c","b":true}',
    },
    {
      name: 'a kvlist member without value',
      value: [lfield(6, lfield(1, sfield(1, 'k')))],
      expected: '{"k":null}',
    },
    { name: 'two oneof members (the last wins)', value: [sfield(1, 'first'), vfield(3, 7)], expected: '7' },
    { name: 'an unknown field next to a value', value: [vfield(99, 1), sfield(1, 'x')], expected: 'x' },
  ])('flattens $name to $expected', ({ value, expected }) => {
    expect(attributeOf(...value)).toBe(expected);
  });

  it('rejects AnyValues nested deeper than 64 levels', () => {
    let value = sfield(1, 'deep');
    for (let i = 0; i < 70; i++) value = lfield(5, lfield(1, value));
    expect(catchDecodeError(() => attributeOf(value)).message).toMatch(
      /^AnyValue nested deeper than 64 levels at .*spans\[0\]\.attributes\[0\]\.value\.arrayValue/,
    );
  });
});

import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectedSpan } from '../testing/expected-records.ts';
import { recordSpans } from '../testing/otel-sdk.ts';
import { jsonRequestWithSpan, SPAN_ID, TRACE_ID } from '../testing/trace-requests.ts';
import { decodeTracesJson } from './traces-json.ts';
import { decodeTracesProtobuf } from './traces-protobuf.ts';

/** Decodes a one-span request whose only attribute `v` holds `value` (an AnyValue in JSON). */
const attributeOf = (value: unknown): string | undefined =>
  decodeTracesJson(jsonRequestWithSpan({ attributes: [{ key: 'v', value }] }))[0]?.attributes['v'];

/** Rewrites every object key from lowerCamelCase to the proto field name (snake_case). */
function toSnakeCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toSnakeCase);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
      toSnakeCase(v),
    ]),
  );
}

describe('decodeTracesJson with bodies from the OpenTelemetry JS SDK', () => {
  let spans: ReadableSpan[];
  let json: string;
  beforeAll(async () => {
    spans = await recordSpans();
    json = new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)!);
  });

  it('decodes every span exactly as the SDK recorded it', () => {
    const decoded = decodeTracesJson(json);
    expect(decoded).toHaveLength(spans.length);
    const bySpanId = new Map(decoded.map((s) => [s.spanId, s]));
    for (const span of spans) expect(bySpanId.get(span.spanContext().spanId)).toEqual(expectedSpan(span));
  });

  it('produces the same records as the protobuf decoder for the same spans', () => {
    expect(decodeTracesJson(json)).toEqual(
      decodeTracesProtobuf(ProtobufTraceSerializer.serializeRequest(spans)!),
    );
  });

  it('accepts snake_case field names', () => {
    expect(decodeTracesJson(JSON.stringify(toSnakeCase(JSON.parse(json))))).toEqual(decodeTracesJson(json));
  });

  it('accepts uppercase hex ids and enum names', () => {
    const variant = json
      .replace(
        /"(traceId|spanId|parentSpanId)":"([0-9a-f]+)"/g,
        (_, k: string, v: string) => `"${k}":"${v.toUpperCase()}"`,
      )
      .replace(/"kind":2/g, '"kind":"SPAN_KIND_SERVER"')
      .replace(/"code":2/g, '"code":"STATUS_CODE_ERROR"');
    expect(variant).not.toBe(json);
    expect(decodeTracesJson(variant)).toEqual(decodeTracesJson(json));
  });
});

describe('decodeTracesJson fields', () => {
  it('returns no spans for an empty request and ignores unknown fields', () => {
    expect(decodeTracesJson('{}')).toEqual([]);
    expect(decodeTracesJson('{"resourceSpans":[{"scopeSpans":[]}],"extra":{"x":[1]}}')).toEqual([]);
  });

  it('reads a complete hand-written span', () => {
    const text = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }], futureField: 1 },
          scopeSpans: [
            {
              scope: { name: 'lib', version: '1.0' },
              spans: [
                {
                  traceId: TRACE_ID,
                  spanId: SPAN_ID,
                  parentSpanId: '',
                  traceState: 'a=b',
                  name: 'op',
                  kind: 'SPAN_KIND_CONSUMER',
                  startTimeUnixNano: '1700000000000000001',
                  endTimeUnixNano: 1700000000000001000,
                  status: { code: 1, message: null },
                  events: [{ timeUnixNano: '1700000000000000002', name: 'e', attributes: null }],
                  links: [
                    {
                      traceId: TRACE_ID.toUpperCase(),
                      spanId: SPAN_ID,
                      attributes: [{ key: 'n', value: { intValue: 1 } }],
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    expect(decodeTracesJson(text)).toEqual([
      {
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        parentSpanId: '',
        traceState: 'a=b',
        name: 'op',
        kind: 'Consumer',
        startTimeUnixNano: 1700000000000000001n,
        // The end time was a JSON number, which JSON.parse rounds to the nearest double.
        durationNs: 1023,
        statusCode: 'Ok',
        statusMessage: '',
        serviceName: 'svc',
        resourceAttributes: { 'service.name': 'svc' },
        scopeName: 'lib',
        scopeVersion: '1.0',
        attributes: {},
        events: [{ timeUnixNano: 1700000000000000002n, name: 'e', attributes: {} }],
        links: [{ traceId: TRACE_ID, spanId: SPAN_ID, traceState: '', attributes: { n: '1' } }],
      },
    ]);
  });

  it.each([
    { name: 'a string', value: { stringValue: 'x' }, expected: 'x' },
    { name: 'an explicit false', value: { boolValue: false }, expected: 'false' },
    {
      name: 'the smallest int64 as a string',
      value: { intValue: '-9223372036854775808' },
      expected: '-9223372036854775808',
    },
    { name: 'an int64 with leading zeros', value: { intValue: '007' }, expected: '7' },
    { name: 'a NaN double', value: { doubleValue: 'NaN' }, expected: 'json: unsupported value: NaN' },
    {
      name: 'a -Infinity double',
      value: { doubleValue: '-Infinity' },
      expected: 'json: unsupported value: -Inf',
    },
    { name: 'a double given as a string', value: { doubleValue: '2.5e-7' }, expected: '2.5e-7' },
    { name: 'an empty AnyValue', value: {}, expected: '' },
    { name: 'a null AnyValue', value: null, expected: '' },
    { name: 'URL-safe unpadded bytes', value: { bytesValue: '3q2-7w' }, expected: '3q2+7w==' },
    {
      name: 'an array with an empty value',
      value: { arrayValue: { values: [{}, { intValue: 5 }] } },
      expected: '[null,5]',
    },
    {
      name: 'an array holding NaN',
      value: { arrayValue: { values: [{ doubleValue: 'NaN' }] } },
      expected: '',
    },
    {
      name: 'a kvlist with unsorted and repeated keys',
      value: {
        kvlistValue: {
          values: [
            { key: 'b', value: { intValue: 1 } },
            { key: 'a', value: { stringValue: '<' } },
            { key: 'b', value: { boolValue: true } },
          ],
        },
      },
      expected: '{"a":"\\u003c","b":true}',
    },
    {
      name: 'a kvlist member without value',
      value: { kvlistValue: { values: [{ key: 'k' }] } },
      expected: '{"k":null}',
    },
    {
      name: 'snake_case value names',
      value: { kvlist_value: { values: [{ key: 'k', value: { int_value: '3' } }] } },
      expected: '{"k":3}',
    },
    { name: 'a null member next to a set one', value: { stringValue: null, intValue: 3 }, expected: '3' },
  ])('flattens $name to $expected', ({ value, expected }) => {
    expect(attributeOf(value)).toBe(expected);
  });
});

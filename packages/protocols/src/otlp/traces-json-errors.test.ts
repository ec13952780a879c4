import { describe, expect, it } from 'vitest';
import { catchDecodeError } from '../testing/catch-decode-error.ts';
import { jsonRequestWithSpan, SPAN_ID, SPAN_PATH } from '../testing/trace-requests.ts';
import { decodeTracesJson } from './traces-json.ts';

describe('decodeTracesJson errors', () => {
  it.each([
    { name: 'text that is not JSON', text: '{"resourceSpans":[', message: /^invalid JSON: / },
    { name: 'a JSON array', text: '[]', message: /^expected an object, got an array$/ },
    { name: 'JSON null', text: 'null', message: /^expected a JSON object, got null$/ },
    {
      name: 'resourceSpans as an object',
      text: '{"resourceSpans":{}}',
      message: /^expected an array, got an object at resourceSpans$/,
    },
    {
      name: 'a null ResourceSpans',
      text: '{"resourceSpans":[null]}',
      message: /^expected an object, got null at resourceSpans\[0\]$/,
    },
    {
      name: 'spans as a string',
      text: '{"resourceSpans":[{"scopeSpans":[{"spans":"x"}]}]}',
      message: /^expected an array, got string "x" at resourceSpans\[0\]\.scopeSpans\[0\]\.spans$/,
    },
    {
      name: 'resource attributes as an object',
      text: '{"resourceSpans":[{"resource":{"attributes":{}}}]}',
      message: /^expected an array, got an object at resourceSpans\[0\]\.resource\.attributes$/,
    },
  ])('rejects $name', ({ text, message }) => {
    expect(catchDecodeError(() => decodeTracesJson(text)).message).toMatch(message);
  });

  it.each([
    {
      name: 'a base64 trace id',
      span: { traceId: 'W46/95gDgQPSabYzgT/GDA==' },
      problem: 'expected 32 hex characters (16 bytes), got string "W46/95gDgQPSabYzgT/GDA=="',
      field: 'traceId',
    },
    {
      name: 'a non-hex trace id',
      span: { traceId: 'g'.repeat(32) },
      problem: `expected 32 hex characters (16 bytes), got string "${'g'.repeat(32)}"`,
      field: 'traceId',
    },
    {
      name: 'an all-zero trace id',
      span: { traceId: '0'.repeat(32) },
      problem: 'traceId must not be all zeros',
      field: 'traceId',
    },
    {
      name: 'a missing trace id',
      span: { traceId: undefined },
      problem: 'traceId is required',
      field: 'traceId',
    },
    {
      name: 'a 15-char span id',
      span: { spanId: SPAN_ID.slice(1) },
      problem: `expected 16 hex characters (8 bytes), got string "${SPAN_ID.slice(1)}"`,
      field: 'spanId',
    },
    {
      name: 'a numeric span id',
      span: { spanId: 5 },
      problem: 'expected a string, got number 5',
      field: 'spanId',
    },
    {
      name: 'an all-zero span id',
      span: { spanId: '0'.repeat(16) },
      problem: 'spanId must not be all zeros',
      field: 'spanId',
    },
    { name: 'a missing span id', span: { spanId: '' }, problem: 'spanId is required', field: 'spanId' },
    {
      name: 'a bad parent span id',
      span: { parentSpanId: 'xyz' },
      problem: 'expected 16 hex characters (8 bytes), got string "xyz"',
      field: 'parentSpanId',
    },
    {
      name: 'a non-numeric time',
      span: { startTimeUnixNano: 'abc' },
      problem: 'expected an unsigned 64-bit integer, got string "abc"',
      field: 'startTimeUnixNano',
    },
    {
      name: 'a negative time',
      span: { startTimeUnixNano: -1 },
      problem: 'expected an unsigned 64-bit integer, got number -1',
      field: 'startTimeUnixNano',
    },
    {
      name: 'a fractional time',
      span: { endTimeUnixNano: 1.5 },
      problem: 'expected an unsigned 64-bit integer, got number 1.5',
      field: 'endTimeUnixNano',
    },
    {
      name: 'a time of 2^64',
      span: { endTimeUnixNano: '18446744073709551616' },
      problem: 'expected an unsigned 64-bit integer, got string "18446744073709551616"',
      field: 'endTimeUnixNano',
    },
    {
      name: 'an unknown kind name',
      span: { kind: 'SPAN_KIND_BOGUS' },
      problem: 'expected an enum number or one of SPAN_KIND_UNSPECIFIED',
      field: 'kind',
    },
    {
      name: 'a status that is not an object',
      span: { status: 'ok' },
      problem: 'expected an object, got string "ok"',
      field: 'status',
    },
    {
      name: 'an unknown status code name',
      span: { status: { code: 'OK' } },
      problem: 'expected an enum number or one of STATUS_CODE_UNSET',
      field: 'status.code',
    },
    { name: 'a numeric name', span: { name: 5 }, problem: 'expected a string, got number 5', field: 'name' },
    {
      name: 'attributes as an object',
      span: { attributes: {} },
      problem: 'expected an array, got an object',
      field: 'attributes',
    },
    {
      name: 'a null attribute',
      span: { attributes: [null] },
      problem: 'expected a KeyValue object, got null',
      field: 'attributes[0]',
    },
    {
      name: 'a numeric stringValue',
      span: { attributes: [{ key: 'k', value: { stringValue: 5 } }] },
      problem: 'expected a string, got number 5',
      field: 'attributes[0].value.stringValue',
    },
    {
      name: 'a fractional intValue',
      span: { attributes: [{ key: 'k', value: { intValue: '1.5' } }] },
      problem: 'expected a signed 64-bit integer, got string "1.5"',
      field: 'attributes[0].value.intValue',
    },
    {
      name: 'an intValue beyond int64',
      span: { attributes: [{ key: 'k', value: { intValue: '9223372036854775808' } }] },
      problem: 'expected a signed 64-bit integer',
      field: 'attributes[0].value.intValue',
    },
    {
      name: 'a string boolValue',
      span: { attributes: [{ key: 'k', value: { boolValue: 'true' } }] },
      problem: 'expected true or false, got string',
      field: 'attributes[0].value.boolValue',
    },
    {
      name: 'invalid base64',
      span: { attributes: [{ key: 'k', value: { bytesValue: '!!' } }] },
      problem: 'expected base64',
      field: 'attributes[0].value.bytesValue',
    },
    {
      name: 'a non-numeric doubleValue',
      span: { attributes: [{ key: 'k', value: { doubleValue: 'abc' } }] },
      problem: 'expected a number, got string',
      field: 'attributes[0].value.doubleValue',
    },
    {
      name: 'a bad nested value',
      span: {
        attributes: [{ key: 'k', value: { arrayValue: { values: [{ intValue: 1 }, { boolValue: 1 }] } } }],
      },
      problem: 'expected true or false, got number',
      field: 'attributes[0].value.arrayValue.values[1].boolValue',
    },
    {
      name: 'a bad link trace id',
      span: { links: [{ traceId: 'xyz', spanId: SPAN_ID }] },
      problem: 'expected 32 hex characters (16 bytes), got string "xyz"',
      field: 'links[0].traceId',
    },
    {
      name: 'a bad event time',
      span: { events: [{}, { timeUnixNano: 'soon' }] },
      problem: 'expected an unsigned 64-bit integer, got string "soon"',
      field: 'events[1].timeUnixNano',
    },
  ])('rejects $name, naming the field', ({ span, problem, field }) => {
    const err = catchDecodeError(() => decodeTracesJson(jsonRequestWithSpan(span)));
    expect(err.message.startsWith(problem)).toBe(true);
    expect(err.message.endsWith(` at ${SPAN_PATH}.${field}`)).toBe(true);
    expect(err.path).toBe(`${SPAN_PATH}.${field}`);
    expect(err.code).toBe('bad_request');
  });

  it('rejects AnyValues nested deeper than 64 levels', () => {
    let value: unknown = { stringValue: 'deep' };
    for (let i = 0; i < 70; i++) value = { arrayValue: { values: [value] } };
    expect(
      catchDecodeError(() => decodeTracesJson(jsonRequestWithSpan({ attributes: [{ key: 'v', value }] })))
        .message,
    ).toMatch(/^AnyValue nested deeper than 64 levels at /);
  });
});

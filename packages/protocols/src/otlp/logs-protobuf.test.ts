import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DecodeError } from '../decode-error.ts';
import { catchDecodeError, seededRandom } from '../testing/catch-decode-error.ts';
import { expectedLog } from '../testing/expected-records.ts';
import { LOG_VALUE_CASES, recordLogs } from '../testing/otel-sdk.ts';
import { bytes, f32field, f64field, hexBytes, lfield, sfield, vfield } from '../testing/proto-writer.ts';
import { decodeLogsProtobuf } from './logs-protobuf.ts';
import type { LogRecord } from './records.ts';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';

/** ExportLogsServiceRequest with one resource and one scope holding the given log records. */
const request = (...records: number[][]): Uint8Array =>
  bytes(lfield(1, lfield(2, ...records.map((r) => lfield(2, r)))));

describe('decodeLogsProtobuf with bodies from the OpenTelemetry JS SDK', () => {
  let logs: ReadableLogRecord[];
  let decoded: LogRecord[];
  beforeAll(async () => {
    logs = await recordLogs();
    decoded = decodeLogsProtobuf(ProtobufLogsSerializer.serializeRequest(logs)!);
  });

  it('decodes every record exactly as the SDK recorded it', () => {
    expect(decoded).toEqual(logs.map(expectedLog));
  });

  it.each(LOG_VALUE_CASES.map((c) => [c.key, c.expected]))('flattens a %s body to %j', (key, expected) => {
    expect(decoded.find((r) => r.attributes['case'] === key)?.body).toBe(expected);
  });

  it('carries the span context, flags and event name of a record emitted inside a span', () => {
    expect(decoded.find((r) => r.eventName === 'cart.checkout')).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
      severityNumber: 17,
    });
  });

  it('shares the resource and scope attribute objects among records', () => {
    for (const record of decoded) {
      expect(record.resourceAttributes).toBe(decoded[0]!.resourceAttributes);
      expect(record.scopeAttributes).toBe(decoded[0]!.scopeAttributes);
    }
  });

  it('throws a DecodeError for every truncation that cuts a message', () => {
    const body = ProtobufLogsSerializer.serializeRequest(logs)!;
    for (let length = 1; length < body.length; length++) {
      expect(() => decodeLogsProtobuf(body.subarray(0, length))).toThrow(DecodeError);
    }
  });

  it('never throws anything but a DecodeError on corrupted bytes', () => {
    const original = ProtobufLogsSerializer.serializeRequest(logs)!;
    const random = seededRandom(7);
    for (let i = 0; i < 2000; i++) {
      const body = original.slice();
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--)
        body[Math.floor(random() * body.length)] = Math.floor(random() * 256);
      try {
        decodeLogsProtobuf(body);
      } catch (err) {
        expect(err).toBeInstanceOf(DecodeError);
      }
    }
  });
});

describe('decodeLogsProtobuf fields', () => {
  it('reads every field, whatever the order, including schema urls after the records', () => {
    const record = [
      ...sfield(12, 'evt'),
      ...f64field(11, 1_700_000_000_000_000_777n),
      ...lfield(10, hexBytes(SPAN_ID)),
      ...lfield(9, hexBytes(TRACE_ID)),
      ...f32field(8, 0x0301),
      ...lfield(6, sfield(1, 'a'), lfield(2, sfield(1, 'b'))),
      ...lfield(5, lfield(6, lfield(1, sfield(1, 'k'), lfield(2, sfield(1, 'v'))))),
      ...sfield(3, 'WARN'),
      ...vfield(2, 13),
      ...vfield(4, 99),
    ];
    const scopeLogs = [
      ...lfield(2, record),
      ...lfield(1, sfield(1, 'lib'), sfield(2, '2.0'), lfield(3, sfield(1, 's'), lfield(2, vfield(3, 1)))),
      ...sfield(3, 'scope-schema'),
    ];
    const resource = lfield(1, lfield(1, sfield(1, 'service.name'), lfield(2, sfield(1, 'svc'))));
    const body = bytes(lfield(1, sfield(3, 'resource-schema'), lfield(2, scopeLogs), resource));
    expect(decodeLogsProtobuf(body)).toEqual([
      {
        timeUnixNano: 1_700_000_000_000_000_777n,
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        traceFlags: 1,
        severityText: 'WARN',
        severityNumber: 13,
        serviceName: 'svc',
        body: '{"k":"v"}',
        resourceSchemaUrl: 'resource-schema',
        resourceAttributes: { 'service.name': 'svc' },
        scopeSchemaUrl: 'scope-schema',
        scopeName: 'lib',
        scopeVersion: '2.0',
        scopeAttributes: { s: '1' },
        attributes: { a: 'b' },
        eventName: 'evt',
      } satisfies LogRecord,
    ]);
  });

  it.each([
    { name: 'uses time_unix_nano when set', fields: [f64field(1, 5n), f64field(11, 9n)], time: 5n },
    {
      name: 'falls back to observed_time_unix_nano when time is 0',
      fields: [f64field(1, 0n), f64field(11, 9n)],
      time: 9n,
    },
    { name: 'is 0 when neither time is set', fields: [], time: 0n },
  ])('timeUnixNano $name', ({ fields, time }) => {
    expect(decodeLogsProtobuf(request(fields.flat()))[0]?.timeUnixNano).toBe(time);
  });

  it('stores empty and all-zero trace context as empty ids', () => {
    const [empty, zero] = decodeLogsProtobuf(
      request(
        [...lfield(9, []), ...lfield(10, [])],
        [...lfield(9, new Uint8Array(16)), ...lfield(10, new Uint8Array(8))],
      ),
    );
    expect([empty?.traceId, empty?.spanId, zero?.traceId, zero?.spanId]).toEqual(['', '', '', '']);
  });

  it.each([
    {
      name: 'a 15-byte trace id',
      fields: lfield(9, hexBytes(TRACE_ID).slice(1)),
      message: 'traceId must be 16 bytes, got 15',
      field: 'traceId',
    },
    {
      name: 'a 9-byte span id',
      fields: lfield(10, [...hexBytes(SPAN_ID), 1]),
      message: 'spanId must be 8 bytes, got 9',
      field: 'spanId',
    },
    {
      name: 'a truncated body value',
      fields: lfield(5, [0x0a, 0x05, 0x61]),
      message: 'length 5 exceeds the 1 bytes left',
      field: 'body',
    },
  ])('rejects $name, naming the field', ({ fields, message, field }) => {
    const err = catchDecodeError(() => decodeLogsProtobuf(request(fields)));
    expect(err.message).toMatch(
      new RegExp(
        `^${message} at resourceLogs\\[0\\]\\.scopeLogs\\[0\\]\\.logRecords\\[0\\]\\.${field} \\(byte offset \\d+\\)$`,
      ),
    );
  });
});

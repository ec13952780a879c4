import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { beforeAll, describe, expect, it } from 'vitest';
import { catchDecodeError } from '../testing/catch-decode-error.ts';
import { expectedLog } from '../testing/expected-records.ts';
import { recordLogs } from '../testing/otel-sdk.ts';
import { decodeLogsJson } from './logs-json.ts';
import { decodeLogsProtobuf } from './logs-protobuf.ts';

const RECORD_PATH = 'resourceLogs[0].scopeLogs[0].logRecords[0]';

/** A request with one log record made of `record`. */
const requestWith = (record: Record<string, unknown>): string =>
  JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [record] }] }] });

describe('decodeLogsJson with bodies from the OpenTelemetry JS SDK', () => {
  let logs: ReadableLogRecord[];
  let json: string;
  beforeAll(async () => {
    logs = await recordLogs();
    json = new TextDecoder().decode(JsonLogsSerializer.serializeRequest(logs)!);
  });

  it('decodes every record exactly as the SDK recorded it', () => {
    expect(decodeLogsJson(json)).toEqual(logs.map(expectedLog));
  });

  it('produces the same records as the protobuf decoder for the same logs', () => {
    expect(decodeLogsJson(json)).toEqual(decodeLogsProtobuf(ProtobufLogsSerializer.serializeRequest(logs)!));
  });

  it('shares the resource and scope attribute objects among records', () => {
    const decoded = decodeLogsJson(json);
    for (const record of decoded) {
      expect(record.resourceAttributes).toBe(decoded[0]!.resourceAttributes);
      expect(record.scopeAttributes).toBe(decoded[0]!.scopeAttributes);
    }
  });
});

describe('decodeLogsJson fields', () => {
  it('reads snake_case names, enum names, string integers and the observed-time fallback', () => {
    const text = JSON.stringify({
      resource_logs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { string_value: 'svc' } }] },
          schema_url: 'rs',
          scope_logs: [
            {
              scope: { name: 'lib', attributes: [{ key: 'a', value: { bool_value: true } }] },
              schema_url: 'ss',
              log_records: [
                {
                  observed_time_unix_nano: '1700000000000000123',
                  severity_number: 'SEVERITY_NUMBER_WARN',
                  severity_text: 'W',
                  body: { string_value: 'hello' },
                  flags: '257',
                  trace_id: '5B8EFFF798038103D269B633813FC60C',
                  span_id: '',
                  event_name: 'e',
                },
              ],
            },
          ],
        },
      ],
    });
    expect(decodeLogsJson(text)).toEqual([
      {
        timeUnixNano: 1700000000000000123n,
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: '',
        traceFlags: 1,
        severityText: 'W',
        severityNumber: 13,
        serviceName: 'svc',
        body: 'hello',
        resourceSchemaUrl: 'rs',
        resourceAttributes: { 'service.name': 'svc' },
        scopeSchemaUrl: 'ss',
        scopeName: 'lib',
        scopeVersion: '',
        scopeAttributes: { a: 'true' },
        attributes: {},
        eventName: 'e',
      },
    ]);
  });

  it('stores a missing body, an all-zero trace id and absent fields as defaults', () => {
    const [record] = decodeLogsJson(requestWith({ traceId: '0'.repeat(32), timeUnixNano: 5 }));
    expect(record).toMatchObject({
      timeUnixNano: 5n,
      body: '',
      traceId: '',
      spanId: '',
      traceFlags: 0,
      severityNumber: 0,
    });
  });

  it.each([
    {
      name: 'a non-hex trace id',
      record: { traceId: 'z'.repeat(32) },
      problem: 'expected 32 hex characters (16 bytes)',
      field: 'traceId',
    },
    {
      name: 'a base64 span id',
      record: { spanId: '7uGbfsPBsXQ=' },
      problem: 'expected 16 hex characters (8 bytes), got string "7uGbfsPBsXQ="',
      field: 'spanId',
    },
    {
      name: 'negative flags',
      record: { flags: -1 },
      problem: 'expected an unsigned 32-bit integer, got number -1',
      field: 'flags',
    },
    {
      name: 'an unknown severity name',
      record: { severityNumber: 'LOUD' },
      problem: 'expected an enum number or one of SEVERITY_NUMBER_UNSPECIFIED',
      field: 'severityNumber',
    },
    {
      name: 'a body that is not an AnyValue',
      record: { body: 'text' },
      problem: 'expected an object, got string "text"',
      field: 'body',
    },
    {
      name: 'a numeric event name',
      record: { eventName: 1 },
      problem: 'expected a string, got number 1',
      field: 'eventName',
    },
  ])('rejects $name, naming the field', ({ record, problem, field }) => {
    const err = catchDecodeError(() => decodeLogsJson(requestWith(record)));
    expect(err.message.startsWith(problem)).toBe(true);
    expect(err.path).toBe(`${RECORD_PATH}.${field}`);
  });

  it('rejects a body that is not JSON and a request of the wrong shape', () => {
    expect(catchDecodeError(() => decodeLogsJson('{')).message).toMatch(/^invalid JSON: /);
    expect(
      catchDecodeError(() => decodeLogsJson('{"resourceLogs":[{"scopeLogs":[{"logRecords":{}}]}]}')).message,
    ).toBe('expected an array, got an object at resourceLogs[0].scopeLogs[0].logRecords');
  });
});

import { describe, expect, it } from 'vitest';
import type { LogRecord, SpanRecord } from './records.ts';
import { findFutureTimestamp } from './timestamps.ts';

const span = (startTimeUnixNano: bigint): SpanRecord => ({
  traceId: '5b8efff798038103d269b633813fc60c',
  spanId: 'eee19b7ec3c1b174',
  parentSpanId: '',
  traceState: '',
  name: 'op',
  kind: 'Internal',
  startTimeUnixNano,
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
});

const log = (timeUnixNano: bigint): LogRecord => ({
  timeUnixNano,
  traceId: '',
  spanId: '',
  traceFlags: 0,
  severityText: '',
  severityNumber: 0,
  serviceName: '',
  body: '',
  resourceSchemaUrl: '',
  resourceAttributes: {},
  scopeSchemaUrl: '',
  scopeName: '',
  scopeVersion: '',
  scopeAttributes: {},
  attributes: {},
  eventName: '',
});

describe('findFutureTimestamp', () => {
  it.each([
    { name: 'no records', times: [], expected: undefined },
    { name: 'records up to the limit', times: [1n, 100n], expected: undefined },
    {
      name: 'one record past the limit',
      times: [1n, 101n, 500n],
      expected: { index: 1, timeUnixNano: 101n },
    },
  ])('reports the first record past the limit for spans and logs: $name', ({ times, expected }) => {
    expect(findFutureTimestamp(times.map(span), 100n)).toEqual(expected);
    expect(findFutureTimestamp(times.map(log), 100n)).toEqual(expected);
  });
});

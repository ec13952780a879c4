import { describe, expect, it } from 'vitest';
import { parseJsonLine } from './parse-json-line.ts';

describe('parseJsonLine', () => {
  it('reads a pino line: numeric level, epoch-ms time, message and other fields', () => {
    const line =
      '{"level":50,"time":1714000000123,"pid":7,"hostname":"web-1","msg":"request failed","req":{"method":"GET","url":"/x"}}';
    expect(parseJsonLine(line)).toEqual({
      message: 'request failed',
      level: 'error',
      timestampMs: 1714000000123,
      attributes: { pid: '7', hostname: 'web-1', 'req.method': 'GET', 'req.url': '/x' },
    });
  });

  it('picks up OpenTelemetry-style trace and span ids and an RFC 3339 time', () => {
    const parsed = parseJsonLine(
      '{"ts":"2024-04-25T10:00:00.5Z","severity":"WARNING","message":"slow","trace_id":"4BF92F3577B34DA6A3CE929D0E0E4736","span_id":"00f067aa0ba902b7"}',
    );
    expect(parsed).toMatchObject({
      message: 'slow',
      level: 'warning',
      timestampMs: Date.UTC(2024, 3, 25, 10, 0, 0, 500),
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      attributes: {},
    });
  });

  it('reads nested and Datadog-style (decimal) ids, padding a 64-bit trace id to 32 digits', () => {
    const parsed = parseJsonLine('{"msg":"x","dd":{"trace_id":"1234567890123456789","span_id":"42"}}');
    expect(parsed?.traceId).toBe('0000000000000000112210f47de98115');
    expect(parsed?.spanId).toBe('000000000000002a');
  });

  it('keeps a field that only looks like a known key but does not parse as one as an attribute', () => {
    const parsed = parseJsonLine('{"msg":"x","level":"loud","trace_id":"not-hex","time":"yesterday"}');
    expect(parsed).toEqual({
      message: 'x',
      attributes: { level: 'loud', trace_id: 'not-hex', time: 'yesterday' },
    });
  });

  it('accepts Unix seconds with a fraction and nanoseconds', () => {
    expect(parseJsonLine('{"msg":"a","ts":1714000000.25}')?.timestampMs).toBe(1714000000250);
    expect(parseJsonLine('{"msg":"a","time":1714000000123456789}')?.timestampMs).toBe(1714000000123);
  });

  it('keeps arrays as JSON text and drops nulls', () => {
    expect(parseJsonLine('{"msg":"a","tags":["x","y"],"gone":null}')?.attributes).toEqual({
      tags: '["x","y"]',
    });
  });

  it('bounds the number of attributes', () => {
    const object = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, i]));
    expect(Object.keys(parseJsonLine(JSON.stringify(object))!.attributes)).toHaveLength(64);
  });

  it.each(['plain text', '[1,2,3]', '{"msg": "truncated', '{not json}', '', '  {}  x'])(
    'returns undefined for %j',
    (line) => {
      expect(parseJsonLine(line)).toBeUndefined();
    },
  );

  it('returns an empty message for an object without a message field', () => {
    expect(parseJsonLine(' {"a":1} ')).toEqual({ message: '', attributes: { a: '1' } });
  });
});

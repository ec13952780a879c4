import { describe, expect, it } from 'vitest';
import { catchDecodeError } from '../testing/catch-decode-error.ts';
import { bytes, hexBytes, lfield, sfield, tag } from '../testing/proto-writer.ts';
import {
  protobufRequest,
  SPAN_ID,
  SPAN_PATH,
  TRACE_ID,
  validProtobufSpan,
} from '../testing/trace-requests.ts';
import { decodeTracesProtobuf } from './traces-protobuf.ts';

describe('decodeTracesProtobuf validation', () => {
  const ids = (traceId: number[], spanId: number[]): number[] => [
    ...lfield(1, traceId),
    ...lfield(2, spanId),
  ];
  it.each([
    {
      name: 'a 15-byte trace id',
      span: ids(hexBytes(TRACE_ID).slice(1), hexBytes(SPAN_ID)),
      problem: 'traceId must be 16 bytes, got 15',
      field: 'traceId',
    },
    {
      name: 'an all-zero trace id',
      span: ids(Array(16).fill(0), hexBytes(SPAN_ID)),
      problem: 'traceId must not be all zeros',
      field: 'traceId',
    },
    {
      name: 'a missing trace id',
      span: lfield(2, hexBytes(SPAN_ID)),
      problem: 'traceId must be 16 bytes, got 0',
      field: 'traceId',
    },
    {
      name: 'a 7-byte span id',
      span: ids(hexBytes(TRACE_ID), hexBytes(SPAN_ID).slice(1)),
      problem: 'spanId must be 8 bytes, got 7',
      field: 'spanId',
    },
    {
      name: 'an all-zero span id',
      span: ids(hexBytes(TRACE_ID), Array(8).fill(0)),
      problem: 'spanId must not be all zeros',
      field: 'spanId',
    },
    {
      name: 'a missing span id',
      span: lfield(1, hexBytes(TRACE_ID)),
      problem: 'spanId must be 8 bytes, got 0',
      field: 'spanId',
    },
    {
      name: 'a 5-byte parent span id',
      span: validProtobufSpan(lfield(4, [1, 2, 3, 4, 5])),
      problem: 'parentSpanId must be 8 bytes, got 5',
      field: 'parentSpanId',
    },
    {
      name: 'a 3-byte link trace id',
      span: validProtobufSpan(lfield(13, lfield(1, [1, 2, 3]))),
      problem: 'traceId must be 16 bytes, got 3',
      field: 'links[0].traceId',
    },
    {
      name: 'a 9-byte link span id',
      span: validProtobufSpan(lfield(13, lfield(2, Array(9).fill(1)))),
      problem: 'spanId must be 8 bytes, got 9',
      field: 'links[0].spanId',
    },
    {
      name: 'a truncated start time',
      span: validProtobufSpan([...tag(7, 1), 1, 2]),
      problem: 'truncated fixed64: need 8 bytes, 2 left',
      field: '',
    },
    {
      name: 'a bad varint in an attribute value',
      span: validProtobufSpan(lfield(9, sfield(1, 'k'), lfield(2, [...tag(3, 0), 0xff]))),
      problem: 'truncated varint',
      field: 'attributes[0].value',
    },
  ])('rejects $name, naming the field', ({ span, problem, field }) => {
    const err = catchDecodeError(() => decodeTracesProtobuf(protobufRequest(span)));
    const path = field === '' ? SPAN_PATH : `${SPAN_PATH}.${field}`;
    expect(err.message).toMatch(new RegExp(`^${escape(problem)} at ${escape(path)} \\(byte offset \\d+\\)$`));
    expect(err.path).toBe(path);
  });

  it('names the exact resource, scope and span index of the offending span', () => {
    const good = lfield(2, validProtobufSpan());
    const bad = lfield(2, lfield(1, [1]), lfield(2, hexBytes(SPAN_ID)));
    const body = bytes(lfield(1, lfield(2, good), lfield(2, good, good, good, bad)));
    const err = catchDecodeError(() => decodeTracesProtobuf(body));
    expect(err.path).toBe('resourceSpans[0].scopeSpans[1].spans[3].traceId');
    // The offset points at the 1-byte trace id, just before the 10-byte span id field.
    expect(err.offset).toBe(body.length - 11);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

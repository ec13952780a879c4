import { describe, expect, it } from 'vitest';
import { decodeTracesProtobuf, isDecodeError } from '@vigil/protocols';
import type { ProtoWriter } from '@vigil/testkit';
import { encodeTracesRequest, syntheticSpans } from '@vigil/testkit';
import { oneScopeRequest } from '../../testing/otlp-request.ts';
import { assembleNative } from './chunk.ts';
import { decodeSpansChunk, readSpansChunk } from './spans-otlp.ts';
import { SPAN_NATIVE_COLUMNS, spanChunkFromRecords } from './spans.ts';

const START_NS = 1_790_000_000_000_000_000n;
const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';

/** The block the record path builds for the same body: the direct decoder must equal it. */
const viaRecords = (body: Buffer): Buffer =>
  assembleNative(SPAN_NATIVE_COLUMNS, [spanChunkFromRecords(decodeTracesProtobuf(body))]);
// readSpansChunk, not decodeSpansChunk: a body the direct decoder stumbled over would otherwise be
// rescued by the record path and the comparison would prove nothing.
const direct = (body: Buffer): Buffer => assembleNative(SPAN_NATIVE_COLUMNS, [readSpansChunk(body)]);

/** One resource and one scope holding an item written by each of `items`. */
const request = (...items: ((w: ProtoWriter) => void)[]): Buffer => oneScopeRequest(items, '1.0');

/** A span with valid ids and times; `more` adds fields. */
const span =
  (more: (w: ProtoWriter) => void = () => undefined) =>
  (w: ProtoWriter): void => {
    w.hexBytes(1, TRACE_ID);
    w.hexBytes(2, SPAN_ID);
    w.string(5, 'GET /cart');
    w.fixed64(7, START_NS);
    w.fixed64(8, START_NS + 1_500_000n);
    more(w);
  };

function attribute(w: ProtoWriter, field: number, key: string, value: (w: ProtoWriter) => void): void {
  w.fork(field);
  w.string(1, key);
  w.fork(2);
  value(w);
  w.join();
  w.join();
}

describe('decodeSpansChunk', () => {
  it('builds the block of the record path for generated traces (events, links, errors)', () => {
    const spans = syntheticSpans(3000, 7, START_NS);
    expect(spans.some((s) => s.events.length > 0)).toBe(true);
    for (let i = 0; i < spans.length; i += 1000) {
      const body = encodeTracesRequest(spans.slice(i, i + 1000));
      expect(direct(body).equals(viaRecords(body))).toBe(true);
    }
  });

  it.each([
    ['no optional fields', () => undefined],
    [
      'a parent, trace state and kind',
      (w: ProtoWriter) => (w.hexBytes(4, 'b7ad6b7169203331'), w.string(3, 'k=v'), w.uint(6, 3)),
    ],
    ['an all-zero parent (stored as a root)', (w: ProtoWriter) => w.bytes(4, Buffer.alloc(8))],
    [
      'an unknown kind and status code',
      (w: ProtoWriter) => (w.uint(6, 42), w.fork(15), w.uint(3, 9), w.join()),
    ],
    [
      'an error status with a message',
      (w: ProtoWriter) => (w.fork(15), w.string(2, 'boom ü'), w.uint(3, 2), w.join()),
    ],
    [
      'two status messages (fields merge)',
      (w: ProtoWriter) => (w.fork(15), w.string(2, 'first'), w.join(), w.fork(15), w.uint(3, 1), w.join()),
    ],
    ['an end before the start', (w: ProtoWriter) => w.fixed64(8, START_NS - 5n)],
    ['a start past Int64', (w: ProtoWriter) => w.fixed64(7, 2n ** 64n - 1n)],
    ['invalid UTF-8 in the name', (w: ProtoWriter) => w.bytes(5, Buffer.from([0x41, 0xc0, 0x42]))],
    [
      'events with attributes, a repeated key and no time',
      (w: ProtoWriter) => {
        w.fork(11);
        w.fixed64(1, START_NS + 10n);
        w.string(2, 'exception');
        attribute(w, 3, 'exception.type', (v) => v.string(1, 'Error'));
        attribute(w, 3, 'n', (v) => v.int64(3, 5n));
        attribute(w, 3, 'exception.type', (v) => v.string(1, 'TypeError'));
        w.join();
        w.fork(11);
        w.string(2, 'no time');
        w.join();
      },
    ],
    [
      'links: full, empty and all-zero ids',
      (w: ProtoWriter) => {
        w.fork(13);
        w.hexBytes(1, TRACE_ID);
        w.hexBytes(2, 'b7ad6b7169203331');
        w.string(3, 'a=b');
        attribute(w, 4, 'link.kind', (v) => v.string(1, 'follows'));
        w.join();
        w.fork(13);
        w.join();
        w.fork(13);
        w.bytes(1, Buffer.alloc(16));
        w.bytes(2, Buffer.alloc(8));
        w.join();
      },
    ],
    [
      'int attributes at the edges of the digit fast path',
      (w: ProtoWriter) => {
        for (const [key, n] of [
          ['zero', 0n],
          ['nine', 9n],
          ['ten', 10n],
          ['max-safe', 2n ** 53n - 1n],
          ['two-53', 2n ** 53n],
          ['minus-one', -1n],
          ['int64-min', -(2n ** 63n)],
          ['int64-max', 2n ** 63n - 1n],
        ] as const)
          attribute(w, 9, key, (v) => v.int64(3, n));
        attribute(w, 9, 'string-then-int', (v) => (v.string(1, 'x'), v.int64(3, 7n)));
        attribute(w, 9, 'int-then-bool', (v) => (v.int64(3, 7n), v.uint(2, 1)));
      },
    ],
    [
      'span attributes with a repeated key',
      (w: ProtoWriter) => {
        attribute(w, 9, 'http.method', (v) => v.string(1, 'GET'));
        attribute(w, 9, 'http.status_code', (v) => v.int64(3, 200n));
        attribute(w, 9, 'http.method', (v) => v.string(1, 'POST'));
      },
    ],
  ])('matches the record path for a span with %s', (_name, more) => {
    const body = request(span(more), span());
    expect(direct(body).equals(viaRecords(body))).toBe(true);
  });

  it('hands a body it cannot read but the record decoder can to the record path, and says so', () => {
    // trace_id twice, empty first: valid (the last one wins), but refused on sight here.
    const body = request((w) => (w.bytes(1, Buffer.alloc(0)), span()(w)));
    expect(() => readSpansChunk(body)).toThrow();
    let rescues = 0;
    const chunk = decodeSpansChunk(body, () => rescues++);
    expect(rescues).toBe(1);
    expect(assembleNative(SPAN_NATIVE_COLUMNS, [chunk]).equals(viaRecords(body))).toBe(true);
    decodeSpansChunk(request(span()), () => rescues++);
    expect(rescues).toBe(1);
  });

  it.each([
    ['no trace id', request((w) => (w.hexBytes(2, SPAN_ID), w.fixed64(7, START_NS)))],
    ['an all-zero span id', request((w) => (w.hexBytes(1, TRACE_ID), w.bytes(2, Buffer.alloc(8))))],
    ['a parent id of 4 bytes', request(span((w) => w.bytes(4, Buffer.alloc(4, 1))))],
    [
      'a link trace id of 15 bytes',
      request(span((w) => (w.fork(13), w.bytes(1, Buffer.alloc(15, 1)), w.join()))),
    ],
    ['a truncated body', Buffer.from([0x0a, 0x09, 0x12, 0x02])],
  ])('rejects a span with %s with the record decoder’s error', (_name, body) => {
    let expected: unknown;
    try {
      decodeTracesProtobuf(body);
    } catch (e) {
      expected = e;
    }
    expect(isDecodeError(expected)).toBe(true);
    expect(() => readSpansChunk(body)).toThrow();
    expect(() => decodeSpansChunk(body)).toThrow((expected as Error).message);
  });
});

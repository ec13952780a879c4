import { describe, expect, it } from 'vitest';
import { decodeLogsProtobuf, isDecodeError } from '@vigil/protocols';
import type { ProtoWriter } from '@vigil/testkit';
import { encodeLogsRequest, syntheticLogs } from '@vigil/testkit';
import { oneScopeRequest } from '../../testing/otlp-request.ts';
import { assembleNative } from './chunk.ts';
import { decodeLogsChunk, readLogsChunk } from './logs-otlp.ts';
import { LOG_NATIVE_COLUMNS, logChunkFromRecords } from './logs.ts';

const START_NS = 1_790_000_000_000_000_000n;

/** The block the record path builds for the same body: decodeLogsChunk must equal it. */
const viaRecords = (body: Buffer): Buffer =>
  assembleNative(LOG_NATIVE_COLUMNS, [logChunkFromRecords(decodeLogsProtobuf(body))]);
// readLogsChunk, not decodeLogsChunk: a body the direct decoder stumbled over would otherwise be
// rescued by the record path and the comparison would prove nothing.
const direct = (body: Buffer): Buffer => assembleNative(LOG_NATIVE_COLUMNS, [readLogsChunk(body)]);

/** One resource and one scope holding an item written by each of `items`. */
const request = (...items: ((w: ProtoWriter) => void)[]): Buffer => oneScopeRequest(items);

/** A KeyValue attribute (field 6 of LogRecord) whose AnyValue is written by `value`. */
function attribute(w: ProtoWriter, key: string | Uint8Array, value: (w: ProtoWriter) => void): void {
  w.fork(6);
  if (typeof key === 'string') w.string(1, key);
  else w.bytes(1, key);
  w.fork(2);
  value(w);
  w.join();
  w.join();
}

const doubleBits = (d: number): bigint => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(d);
  return b.readBigUInt64LE();
};

describe('decodeLogsChunk', () => {
  it('builds the block of the record path for generated logs of many services', () => {
    const logs = syntheticLogs(3000, 5, START_NS);
    for (let i = 0; i < logs.length; i += 1000) {
      const body = encodeLogsRequest(logs.slice(i, i + 1000));
      expect(direct(body).equals(viaRecords(body))).toBe(true);
    }
  });

  it.each([
    ['an int body', (w: ProtoWriter) => (w.fork(5), w.int64(3, -42n), w.join())],
    ['a double body', (w: ProtoWriter) => (w.fork(5), w.fixed64(4, doubleBits(0.1)), w.join())],
    ['a bool body', (w: ProtoWriter) => (w.fork(5), w.uint(2, 1), w.join())],
    ['a bytes body', (w: ProtoWriter) => (w.fork(5), w.bytes(7, Buffer.from([0, 255, 7])), w.join())],
    [
      'an array body',
      (w: ProtoWriter) => {
        w.fork(5);
        w.fork(5);
        w.fork(1);
        w.string(1, 'a"b');
        w.join();
        w.fork(1);
        w.int64(3, 7n);
        w.join();
        w.join();
        w.join();
      },
    ],
    [
      'a string after an int (the last oneof member wins)',
      (w: ProtoWriter) => (w.fork(5), w.int64(3, 1n), w.string(1, 'won'), w.join()),
    ],
    ['an int after a string', (w: ProtoWriter) => (w.fork(5), w.string(1, 'lost'), w.int64(3, 9n), w.join())],
    ['an empty AnyValue', (w: ProtoWriter) => (w.fork(5), w.join())],
    ['a non-ASCII body', (w: ProtoWriter) => (w.fork(5), w.string(1, 'grüße 🎉 '.repeat(20)), w.join())],
    [
      'invalid UTF-8 in a short body',
      (w: ProtoWriter) => (w.fork(5), w.bytes(1, Buffer.from([0x61, 0xff, 0x62])), w.join()),
    ],
    [
      'invalid UTF-8 in a long body',
      (w: ProtoWriter) => (
        w.fork(5),
        w.bytes(1, Buffer.concat([Buffer.alloc(100, 0x61), Buffer.from([0xc3])])),
        w.join()
      ),
    ],
    [
      'invalid UTF-8 after 200 bytes (a two-byte length)',
      (w: ProtoWriter) => (
        w.fork(5),
        w.bytes(1, Buffer.concat([Buffer.alloc(200, 0x62), Buffer.from([0xe2, 0x82])])),
        w.join()
      ),
    ],
    ['a 5000-byte body', (w: ProtoWriter) => (w.fork(5), w.string(1, 'é'.repeat(2500)), w.join())],
    [
      'a 5000-byte body with invalid UTF-8',
      (w: ProtoWriter) => (
        w.fork(5),
        w.bytes(1, Buffer.concat([Buffer.alloc(4999, 0x63), Buffer.from([0x80])])),
        w.join()
      ),
    ],
    ['no time, only the observed time', (w: ProtoWriter) => w.fixed64(11, 1_790_000_000_000_000_001n)],
    ['a time past Int64', (w: ProtoWriter) => w.fixed64(1, 2n ** 64n - 1n)],
    ['neither time', (w: ProtoWriter) => w.string(3, 'INFO')],
    ['zero ids', (w: ProtoWriter) => (w.bytes(9, Buffer.alloc(16)), w.bytes(10, Buffer.alloc(8)))],
    ['a severity number out of range', (w: ProtoWriter) => w.uint(2, 300)],
    ['flags beyond the low byte', (w: ProtoWriter) => w.fixed32(8, 0x1ff)],
    ['an unknown field', (w: ProtoWriter) => (w.uint(99, 5), w.string(12, 'event'))],
    [
      'attributes of every kind',
      (w: ProtoWriter) => {
        attribute(w, 'str', (v) => v.string(1, 'x'));
        attribute(w, 'int', (v) => v.int64(3, 1234567890123n));
        attribute(w, 'empty', () => undefined);
        attribute(w, 'ü-key', (v) => v.string(1, 'ü'));
        attribute(w, Buffer.from([0x6b, 0xfe]), (v) => v.string(1, 'bad key'));
      },
    ],
    [
      'a repeated attribute key (the later value wins, in the first place)',
      (w: ProtoWriter) => {
        attribute(w, 'a', (v) => v.string(1, '1'));
        attribute(w, 'b', (v) => v.string(1, '2'));
        attribute(w, 'a', (v) => v.int64(3, 3n));
        attribute(w, 'c', (v) => v.string(1, '4'));
      },
    ],
  ])('matches the record path for %s', (_name, write) => {
    const body = request(
      (w) => {
        w.fixed64(1, START_NS);
        w.string(3, 'WARN');
        w.hexBytes(9, '5b8efff798038103d269b633813fc60c');
        w.hexBytes(10, 'eee19b7ec3c1b174');
        write(w);
      },
      (w) => w.fixed64(1, START_NS + 1n),
    );
    expect(direct(body).equals(viaRecords(body))).toBe(true);
  });

  it('keeps attribute keys in wire order, integer-like keys included', () => {
    const body = request((w) => {
      attribute(w, 'b', (v) => v.string(1, 'first'));
      attribute(w, '7', (v) => v.string(1, 'second'));
    });
    const block = direct(body);
    // Keys stream: 'b' then '7'; a JS object would have put '7' first.
    expect(block.indexOf(Buffer.from('\x01b\x017'))).toBeGreaterThan(0);
  });

  it.each([
    ['a truncated body', Buffer.from([0x0a, 0x05, 0x0a])],
    ['a trace id of 3 bytes', request((w) => w.bytes(9, Buffer.from([1, 2, 3])))],
    ['a span id of 9 bytes', request((w) => w.bytes(10, Buffer.alloc(9, 1)))],
  ])('rejects %s with the record decoder’s error', (_name, body) => {
    let expected: unknown;
    try {
      decodeLogsProtobuf(body);
    } catch (e) {
      expected = e;
    }
    expect(isDecodeError(expected)).toBe(true);
    expect(() => readLogsChunk(body)).toThrow();
    expect(() => decodeLogsChunk(body)).toThrow((expected as Error).message);
  });
});

import { AppError } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../decode-error.ts';
import { catchDecodeError } from '../testing/catch-decode-error.ts';
import {
  bytes,
  dfield,
  f32field,
  f64field,
  lfield,
  sfield,
  tag,
  varint,
  vfield,
} from '../testing/proto-writer.ts';
import { ProtoReader } from './reader.ts';

/** Reads one varint field (tag 1) and returns what each accessor makes of it. */
function readVarintField(value: number | bigint): {
  uint32: number;
  int32: number;
  lo: number;
  hi: number;
  int64: string;
} {
  const body = bytes(vfield(1, value));
  const read = <T>(fn: (r: ProtoReader) => T): T => {
    const r = new ProtoReader(body);
    r.tag();
    const result = fn(r);
    expect(r.pos).toBe(body.length);
    return result;
  };
  return {
    uint32: read((r) => r.uint32()),
    int32: read((r) => r.int32()),
    lo: read((r) => (r.varint64(), r.lo)),
    hi: read((r) => (r.varint64(), r.hi)),
    int64: read((r) => r.int64Decimal()),
  };
}

/** Skips every field of a body, as a decoder does with fields it does not know. */
function skipAll(body: Uint8Array): ProtoReader {
  const r = new ProtoReader(body);
  while (r.pos < r.limit) r.skip(r.tag());
  return r;
}

describe('ProtoReader varints', () => {
  it.each([
    { value: 0, uint32: 0, int32: 0, lo: 0, hi: 0, int64: '0' },
    { value: 1, uint32: 1, int32: 1, lo: 1, hi: 0, int64: '1' },
    { value: 300, uint32: 300, int32: 300, lo: 300, hi: 0, int64: '300' },
    { value: 2 ** 31, uint32: 2 ** 31, int32: -(2 ** 31), lo: 2 ** 31, hi: 0, int64: '2147483648' },
    { value: 2 ** 32 - 1, uint32: 2 ** 32 - 1, int32: -1, lo: 2 ** 32 - 1, hi: 0, int64: '4294967295' },
    { value: 2 ** 32, uint32: 0, int32: 0, lo: 0, hi: 1, int64: '4294967296' },
    {
      value: 2 ** 53 - 1,
      uint32: 2 ** 32 - 1,
      int32: -1,
      lo: 2 ** 32 - 1,
      hi: 2 ** 21 - 1,
      int64: '9007199254740991',
    },
    { value: 2n ** 53n + 1n, uint32: 1, int32: 1, lo: 1, hi: 2 ** 21, int64: '9007199254740993' },
    {
      value: 2n ** 63n - 1n,
      uint32: 2 ** 32 - 1,
      int32: -1,
      lo: 2 ** 32 - 1,
      hi: 2 ** 31 - 1,
      int64: '9223372036854775807',
    },
    { value: -1, uint32: 2 ** 32 - 1, int32: -1, lo: 2 ** 32 - 1, hi: 2 ** 32 - 1, int64: '-1' },
    { value: -(2 ** 32), uint32: 0, int32: 0, lo: 0, hi: 2 ** 32 - 1, int64: '-4294967296' },
    { value: -(2 ** 53 - 1), uint32: 1, int32: 1, lo: 1, hi: 0xffe00000, int64: '-9007199254740991' },
    {
      value: -(2n ** 53n) - 1n,
      uint32: 2 ** 32 - 1,
      int32: -1,
      lo: 2 ** 32 - 1,
      hi: 0xffdfffff,
      int64: '-9007199254740993',
    },
    { value: -(2n ** 63n), uint32: 0, int32: 0, lo: 0, hi: 2 ** 31, int64: '-9223372036854775808' },
  ])('reads $value as uint32 $uint32, int32 $int32 and int64 $int64', ({ value, ...expected }) => {
    expect(readVarintField(value)).toEqual(expected);
  });

  it('reads a non-canonical varint padded with continuation bytes', () => {
    const r = new ProtoReader(Uint8Array.from([0x81, 0x80, 0x80, 0x00]));
    expect(r.uint32()).toBe(1);
    expect(r.pos).toBe(4);
  });

  it('reads bool varints of any width', () => {
    const r = new ProtoReader(bytes(varint(0), varint(1), varint(2n ** 40n)));
    expect([r.bool(), r.bool(), r.bool()]).toEqual([false, true, true]);
  });
});

describe('ProtoReader fixed-width and length-delimited fields', () => {
  it('reads fixed64 as an exact bigint, doubles and fixed32', () => {
    const body = bytes(f64field(1, 1_700_000_000_123_456_789n), dfield(2, -2.5), f32field(3, 0xfffffffe));
    const r = new ProtoReader(body);
    r.tag();
    expect(r.fixed64()).toBe(1_700_000_000_123_456_789n);
    r.tag();
    expect(r.double()).toBe(-2.5);
    r.tag();
    expect(r.fixed32()).toBe(0xfffffffe);
  });

  it('slices strings and bytes without copying', () => {
    const body = bytes(sfield(1, 'héllo ✓'), lfield(2, [1, 2, 3]), sfield(3, ''));
    const r = new ProtoReader(body);
    r.tag();
    expect(r.string()).toBe('héllo ✓');
    r.tag();
    const slice = r.bytes();
    expect([...slice]).toEqual([1, 2, 3]);
    expect(slice.buffer).toBe(body.buffer);
    r.tag();
    expect(r.string()).toBe('');
  });

  it('reads from a Uint8Array that is a window into a larger buffer', () => {
    const backing = bytes([0xff, 0xff], sfield(1, 'ok'), f64field(2, 7n), [0xff]);
    const r = new ProtoReader(backing.subarray(2, backing.length - 1));
    r.tag();
    expect(r.string()).toBe('ok');
    r.tag();
    expect(r.fixed64()).toBe(7n);
    expect(r.pos).toBe(r.limit);
  });

  it('confines reads to the embedded message entered', () => {
    const body = bytes(lfield(1, vfield(1, 5)), vfield(2, 9));
    const r = new ProtoReader(body);
    r.tag();
    const outer = r.enter();
    expect(r.limit).toBe(4);
    r.tag();
    expect(r.uint32()).toBe(5);
    expect(r.pos).toBe(r.limit);
    r.leave(outer);
    r.tag();
    expect(r.uint32()).toBe(9);
  });
});

describe('ProtoReader.skip', () => {
  it('skips unknown fields of every wire type, including nested groups', () => {
    const body = bytes(
      vfield(1, -1),
      f64field(2, 123n),
      lfield(3, [9, 9, 9]),
      f32field(4, 7),
      tag(5, 3),
      vfield(1, 1),
      tag(6, 3),
      sfield(2, 'inside'),
      tag(6, 4),
      tag(5, 4),
      sfield(7, 'after'),
    );
    const r = new ProtoReader(body);
    for (let i = 0; i < 5; i++) r.skip(r.tag());
    r.tag();
    expect(r.string()).toBe('after');
  });
});

describe('ProtoReader errors', () => {
  it.each([
    { name: 'a truncated varint', body: [0x08, 0x80], message: 'truncated varint (byte offset 1)' },
    {
      name: 'a varint longer than 10 bytes',
      body: [0x08, ...Array(10).fill(0x80), 0x01],
      message: 'varint overflows 64 bits (byte offset 1)',
    },
    {
      name: 'a varint beyond 64 bits',
      body: [0x08, ...Array(9).fill(0xff), 0x02],
      message: 'varint overflows 64 bits (byte offset 1)',
    },
    {
      name: 'a length beyond the end',
      body: [0x0a, 0x05, 0x01],
      message: 'length 5 exceeds the 1 bytes left (byte offset 1)',
    },
    {
      name: 'a truncated fixed64',
      body: [0x09, 1, 2, 3],
      message: 'truncated fixed64: need 8 bytes, 3 left (byte offset 1)',
    },
    {
      name: 'a truncated fixed32',
      body: [0x0d, 1],
      message: 'truncated fixed32: need 4 bytes, 1 left (byte offset 1)',
    },
    { name: 'wire type 6', body: [0x0e, 0], message: 'invalid wire type 6 for field 1 (byte offset 1)' },
    { name: 'wire type 7', body: [0x17], message: 'invalid wire type 7 for field 2 (byte offset 1)' },
    {
      name: 'a stray end-group tag',
      body: [0x0c],
      message: 'unexpected end-group tag for field 1 (byte offset 1)',
    },
    {
      name: 'an unterminated group',
      body: [0x0b, 0x08, 0x01],
      message: 'unterminated group for field 1 (byte offset 1)',
    },
    {
      name: 'a group closed by another field',
      body: [0x0b, 0x14],
      message: 'unexpected end-group tag for field 2 (byte offset 2)',
    },
    { name: 'field number 0', body: [0x00, 0x01], message: 'invalid field number 0 (byte offset 0)' },
    {
      name: 'groups nested 65 deep',
      body: [...Array(65).fill(0x0b), 0x0c],
      message: 'groups nested too deeply (byte offset 65)',
    },
  ])('rejects $name', ({ body, message }) => {
    const err = catchDecodeError(() => skipAll(Uint8Array.from(body)));
    expect(err.message).toBe(message);
  });

  it('rejects a varint that runs past the end of its embedded message', () => {
    // Field 1 is a 2-byte message ending inside a varint whose last byte lies outside it.
    const r = new ProtoReader(Uint8Array.from([0x0a, 0x02, 0x08, 0x80, 0x01]));
    r.tag();
    r.enter();
    r.tag();
    expect(() => r.uint32()).toThrow('truncated varint (byte offset 3)');
  });

  it('reports the field path, and is an AppError a client may see', () => {
    const r = new ProtoReader(Uint8Array.from([0x0a, 0x01]));
    r.path.push('resourceSpans', 0);
    r.path.push('scopeSpans', 1);
    r.path.push('spans', 3);
    const err = catchDecodeError(() => r.fail('traceId must be 16 bytes, got 1', 'traceId'));
    expect(err.message).toBe(
      'traceId must be 16 bytes, got 1 at resourceSpans[0].scopeSpans[1].spans[3].traceId (byte offset 0)',
    );
    expect(err).toBeInstanceOf(AppError);
    expect(err).toBeInstanceOf(DecodeError);
    expect(err).toMatchObject({
      code: 'bad_request',
      expose: true,
      path: 'resourceSpans[0].scopeSpans[1].spans[3].traceId',
      offset: 0,
    });
  });
});

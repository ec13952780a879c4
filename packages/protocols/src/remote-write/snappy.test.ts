import { ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { AppError } from '@vigil/core';
import { compressSync } from 'snappy';
import { describe, expect, it } from 'vitest';
import { catchDecodeError, seededRandom } from '../testing/catch-decode-error.ts';
import { recordLogs, recordSpans } from '../testing/otel-sdk.ts';
import { encodeRemoteWrite1 } from './encode-v1.ts';
import { encodeRemoteWrite2 } from './encode-v2.ts';
import {
  decompressSnappyBlock,
  looksLikeSnappyBlock,
  snappyDecodedLength,
  SnappyDecompressor,
} from './snappy.ts';
import { series } from './test-fixtures.ts';

const randomBytes = (seed: number, length: number): Buffer => {
  const rand = seededRandom(seed);
  return Buffer.from(Array.from({ length }, () => Math.floor(rand() * 256)));
};

const remoteWriteBodies = (): Buffer[] => [
  Buffer.alloc(0),
  encodeRemoteWrite1({ series: [series('up', [1])] }),
  encodeRemoteWrite1({
    series: Array.from({ length: 3000 }, (_, i) => series(`m_${i % 40}`, [i], { i: String(i) })),
  }),
  encodeRemoteWrite2({ series: Array.from({ length: 500 }, (_, i) => series('cpu', [i], { i: String(i) })) }),
  randomBytes(1, 70_000), // incompressible: long literals with 2- and 3-byte lengths
  Buffer.alloc(200_000, 7), // long runs: copies overlapping their own output
];

// The native decoder (a new buffer per call) and the JS one that reuses its buffer.
const reused = new SnappyDecompressor();
const decompressors: Array<[string, (body: Buffer, max: number) => Uint8Array]> = [
  ['decompressSnappyBlock', decompressSnappyBlock],
  ['SnappyDecompressor', (body, max) => reused.decompress(body, max)],
];

describe.each(decompressors)('%s', (_name, decompress) => {
  it.each(remoteWriteBodies().map((body) => ({ body, length: body.length })))(
    'returns the $length bytes a snappy block was made of',
    ({ body }) => {
      expect(Buffer.from(decompress(compressSync(body), 1 << 20)).equals(body)).toBe(true);
    },
  );

  it('accepts a block of exactly the limit', () => {
    const body = Buffer.alloc(1000, 1);
    expect(decompress(compressSync(body), 1000)).toHaveLength(1000);
  });

  it('refuses a block declaring more than the limit as payload_too_large, before decompressing it', () => {
    // Declares 4 GiB - 1 but carries 3 bytes: decompressing would allocate first and fail after.
    const bomb = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x41]);
    const err = (() => {
      try {
        decompress(bomb, 10 << 20);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({
      code: 'payload_too_large',
      expose: true,
      message: 'body decompresses to 4294967295 bytes, over the limit of 10485760',
    });
  });

  it.each([
    { name: 'an empty body', body: Buffer.alloc(0), problem: 'body is empty' },
    {
      name: 'a preamble longer than 5 bytes',
      body: Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]),
      problem: 'it does not start with a valid length preamble',
    },
    {
      name: 'a raw protobuf body',
      body: encodeRemoteWrite1({ series: [series('up', [1])] }),
      problem: 'body is not valid snappy',
    },
    {
      name: 'a truncated block',
      body: compressSync(encodeRemoteWrite1({ series: [series('up', [1])] })).subarray(0, 20),
      problem: 'body is not valid snappy',
    },
    {
      name: 'a block whose literal is shorter than declared',
      body: Buffer.from([0x05, 0x08, 0x41, 0x42, 0x43]),
      problem: 'body is not valid snappy',
    },
    {
      name: 'the snappy framed format',
      body: Buffer.from([0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59, 0x01]),
      problem: 'body is in the snappy framed (stream) format; remote write uses the snappy block format',
    },
  ])('refuses $name as a DecodeError', ({ body, problem }) => {
    const err = catchDecodeError(() => decompress(body, 1 << 20));
    expect(err.message).toContain(problem);
    expect(err.code).toBe('bad_request');
  });
});

describe('SnappyDecompressor', () => {
  it('reuses one buffer for bodies up to 8 MB and gives larger ones their own', () => {
    const d = new SnappyDecompressor();
    const a = d.decompress(compressSync(Buffer.alloc(1000, 1)), 1 << 30);
    const b = d.decompress(compressSync(Buffer.alloc(500, 2)), 1 << 30);
    expect(b.buffer).toBe(a.buffer);
    expect(a[0]).toBe(2); // the first view now shows the second body: valid until the next call
    const big = d.decompress(compressSync(Buffer.alloc(9 << 20, 3)), 1 << 30);
    expect(big.buffer).not.toBe(a.buffer);
    expect(d.decompress(compressSync(Buffer.alloc(10, 4)), 1 << 30).buffer).toBe(a.buffer);
  });

  it('refuses every truncation and every single-byte change that breaks a block, never crashing', () => {
    const body = encodeRemoteWrite1({
      series: Array.from({ length: 50 }, (_, i) => series('m', [i], { i: String(i) })),
    });
    const block = compressSync(body);
    const d = new SnappyDecompressor();
    for (let end = 1; end < block.length; end++) {
      catchDecodeError(() => d.decompress(block.subarray(0, end), 1 << 20));
    }
    const rand = seededRandom(7);
    let preamble = 0;
    while (block[preamble]! >= 0x80) preamble++;
    for (let i = 0; i < 2000; i++) {
      const bad = Buffer.from(block);
      const at = preamble + 1 + Math.floor(rand() * (bad.length - preamble - 1));
      bad[at] = bad[at]! ^ (1 + Math.floor(rand() * 255));
      let out: Uint8Array | undefined;
      try {
        out = d.decompress(bad, 1 << 20);
      } catch (err) {
        catchDecodeError(() => {
          throw err;
        });
      }
      // A change that still parses must agree with the native decoder on the result.
      if (out !== undefined) expect(Buffer.from(out).equals(decompressSnappyBlock(bad, 1 << 20))).toBe(true);
    }
  });
});

describe('snappyDecodedLength', () => {
  it.each([
    { bytes: [0x00], length: 0 },
    { bytes: [0x7f], length: 127 },
    { bytes: [0x80, 0x01], length: 128 },
    { bytes: [0xff, 0xff, 0xff, 0xff, 0x0f], length: 2 ** 32 - 1 },
    { bytes: [0xff, 0xff, 0xff, 0xff, 0x1f], length: undefined },
    { bytes: [0x80, 0x80], length: undefined },
    { bytes: [], length: undefined },
  ])('reads $bytes as $length', ({ bytes, length }) => {
    expect(snappyDecodedLength(Uint8Array.from(bytes))).toBe(length);
  });
});

describe('looksLikeSnappyBlock', () => {
  it('recognises snappy blocks of remote write bodies and of other data', () => {
    for (const body of remoteWriteBodies()) expect(looksLikeSnappyBlock(compressSync(body))).toBe(true);
  });

  it('does not take raw OTLP protobuf bodies from the OpenTelemetry SDK for snappy', async () => {
    const bodies = [
      ProtobufTraceSerializer.serializeRequest(await recordSpans())!,
      ProtobufLogsSerializer.serializeRequest(await recordLogs())!,
    ];
    for (const body of bodies) expect(looksLikeSnappyBlock(body)).toBe(false);
  });

  it('does not take raw remote write bodies for snappy', () => {
    for (const body of remoteWriteBodies().slice(1)) expect(looksLikeSnappyBlock(body)).toBe(false);
  });

  it('does not take random bytes for snappy', () => {
    const accepted = Array.from({ length: 2000 }, (_, i) => randomBytes(i + 10, 16 + (i % 500))).filter(
      looksLikeSnappyBlock,
    );
    expect(accepted).toEqual([]);
  });

  it('rejects a valid block cut short or with a byte too many', () => {
    const block = compressSync(encodeRemoteWrite1({ series: [series('up', [1]), series('down', [0])] }));
    for (let end = 0; end < block.length; end++)
      expect(looksLikeSnappyBlock(block.subarray(0, end))).toBe(false);
    expect(looksLikeSnappyBlock(Buffer.concat([block, Buffer.from([0])]))).toBe(false);
  });

  it('rejects a copy that reaches back before the start of the output', () => {
    // Declares 5 bytes: literal "A", then a 4-byte copy from offset 2 (only 1 byte produced).
    expect(looksLikeSnappyBlock(Uint8Array.from([0x05, 0x00, 0x41, 0x01, 0x02]))).toBe(false);
    // The same with offset 1 is valid: "AAAAA".
    expect(looksLikeSnappyBlock(Uint8Array.from([0x05, 0x00, 0x41, 0x01, 0x01]))).toBe(true);
  });
});

import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { AppError } from '@vigil/core';

export type PayloadFormat = 'protobuf' | 'json';

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
// zstd arrived in node:zlib with Node 22.15; on older Node the encoding is refused with 415.
const zstdDecompress = (zlib as unknown as { zstdDecompress?: typeof zlib.gunzip }).zstdDecompress;
const zstd = zstdDecompress ? promisify(zstdDecompress) : undefined;

/** Maps a Content-Type header to the OTLP payload format, or refuses it with 415. */
export function payloadFormat(contentType: string | undefined): PayloadFormat {
  const mime = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mime === 'application/x-protobuf' || mime === 'application/protobuf') return 'protobuf';
  if (mime === 'application/json') return 'json';
  throw new AppError(
    'unsupported_media_type',
    `unsupported Content-Type "${contentType ?? ''}": expected application/x-protobuf or application/json`,
  );
}

function isOutputTooLarge(e: unknown): boolean {
  return e instanceof RangeError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
}

/**
 * Undoes Content-Encoding with a cap on the decompressed size, so a small compressed body
 * cannot expand into gigabytes (a "zip bomb") before we notice.
 */
export async function decompressBody(
  body: Buffer,
  contentEncoding: string | undefined,
  maxDecompressedBytes: number,
): Promise<Buffer> {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return body;
  const opts = { maxOutputLength: maxDecompressedBytes };
  try {
    switch (encoding) {
      case 'gzip':
      case 'x-gzip':
        return await gunzip(body, opts);
      case 'deflate':
        // HTTP "deflate" is zlib-wrapped, but some clients send raw deflate; accept both.
        try {
          return await inflate(body, opts);
        } catch (e) {
          if (isOutputTooLarge(e)) throw e;
          return await inflateRaw(body, opts);
        }
      case 'zstd':
        if (zstd) return await zstd(body, opts);
        break;
    }
  } catch (e) {
    if (isOutputTooLarge(e)) {
      throw new AppError(
        'payload_too_large',
        `body exceeds ${maxDecompressedBytes} bytes after ${encoding} decompression`,
      );
    }
    throw new AppError('bad_request', `body is not valid ${encoding} data: ${(e as Error).message}`, {
      cause: e,
    });
  }
  throw new AppError(
    'unsupported_media_type',
    `unsupported Content-Encoding "${contentEncoding}": expected gzip, deflate${zstd ? ', zstd' : ''} or none`,
  );
}

/**
 * Makes an encapsulated ingestion plugin read every body as raw bytes (up to `maxBytes` on the
 * wire), whatever its Content-Type: the handlers decompress and decode themselves, so every
 * failure gets an answer in the protocol's own format.
 */
export function acceptRawBodies(app: FastifyInstance, maxBytes: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBytes }, (_req, body, done) => {
    done(null, body);
  });
}

/**
 * pprof bodies are gzip-compressed by convention (Go's `pprof.Profile.Write`, Coroot's agents)
 * but not always (Pyroscope's SDKs may send them plain). Gzip is recognised by its magic bytes
 * and undone with a cap, so a small body cannot expand into gigabytes.
 */
import zlib from 'node:zlib';
import { AppError } from '@vigil/core';
import { DecodeError } from '../decode-error.ts';

/** True when `body` starts with the gzip magic bytes 1f 8b. */
export function isGzip(body: Uint8Array): boolean {
  return body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b;
}

/** `body` gunzipped when it is gzip, else `body` itself. */
export function gunzipIfNeeded(body: Uint8Array, maxDecompressedBytes: number): Uint8Array {
  if (!isGzip(body)) return body;
  try {
    return zlib.gunzipSync(body, { maxOutputLength: maxDecompressedBytes });
  } catch (e) {
    if (e instanceof RangeError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new AppError(
        'payload_too_large',
        `pprof body exceeds ${maxDecompressedBytes} bytes after gzip decompression`,
      );
    }
    throw new DecodeError(`pprof body is not valid gzip data: ${(e as Error).message}`, { cause: e });
  }
}

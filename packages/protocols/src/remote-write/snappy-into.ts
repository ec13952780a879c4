/**
 * Snappy block decompression into a buffer the caller keeps (format: snappy.ts). The native
 * `snappy` package returns a new buffer per call; at remote write rates (hundreds of 1 MB bodies
 * a second) those buffers are V8 external memory, which forces a full garbage collection every
 * 64 MB. Decoding into one reused buffer allocates nothing.
 *
 * Elements are copied byte by byte when short (most of a remote write body: label runs of
 * 10-60 bytes) and with `set`/`copyWithin` when long; overlapping back-references (offset <
 * length, run-length style) go byte by byte, which is what they mean.
 */
import { DecodeError } from '../decode-error.ts';

/** Below this, a byte loop beats the call into `set`/`copyWithin` (measured: 8 against 0, 4, 16, 32, 64). */
const SHORT = 8;

/**
 * Decompresses the elements of `src` starting at `pos` (just after the length preamble) into
 * `dst[0, declared)`. Throws DecodeError when they do not fill exactly `declared` bytes or a
 * back-reference points before the start.
 */
export function snappyDecompressInto(src: Uint8Array, pos: number, dst: Uint8Array, declared: number): void {
  let out = 0;
  const end = src.length;
  while (pos < end) {
    const tag = src[pos++]!;
    const kind = tag & 3;
    if (kind === 0) {
      let length = (tag >>> 2) + 1;
      if (length > 60) {
        const extra = length - 60;
        if (pos + extra > end) fail('a literal length runs past the end', pos);
        length = 0;
        for (let i = 0; i < extra; i++) length += src[pos + i]! * 2 ** (8 * i);
        length += 1;
        pos += extra;
      }
      if (pos + length > end) fail('a literal runs past the end', pos);
      if (out + length > declared) fail(`it produces more than the ${declared} bytes it declares`, pos);
      if (length < SHORT) for (let i = 0; i < length; i++) dst[out + i] = src[pos + i]!;
      else dst.set(src.subarray(pos, pos + length), out);
      pos += length;
      out += length;
      continue;
    }
    let length: number;
    let offset: number;
    if (kind === 1) {
      if (pos + 1 > end) fail('a copy runs past the end', pos);
      length = 4 + ((tag >>> 2) & 7);
      offset = ((tag >>> 5) << 8) | src[pos]!;
      pos += 1;
    } else if (kind === 2) {
      if (pos + 2 > end) fail('a copy runs past the end', pos);
      length = 1 + (tag >>> 2);
      offset = src[pos]! | (src[pos + 1]! << 8);
      pos += 2;
    } else {
      if (pos + 4 > end) fail('a copy runs past the end', pos);
      length = 1 + (tag >>> 2);
      offset = (src[pos]! | (src[pos + 1]! << 8) | (src[pos + 2]! << 16) | (src[pos + 3]! << 24)) >>> 0;
      pos += 4;
    }
    if (offset === 0 || offset > out) fail('a back-reference points before the start', pos);
    if (out + length > declared) fail(`it produces more than the ${declared} bytes it declares`, pos);
    const from = out - offset;
    if (length < SHORT || offset < length) for (let i = 0; i < length; i++) dst[out + i] = dst[from + i]!;
    else dst.copyWithin(out, from, from + length);
    out += length;
  }
  if (out !== declared) fail(`it produces ${out} of the ${declared} bytes it declares`, pos);
}

function fail(problem: string, offset: number): never {
  throw new DecodeError(`body is not valid snappy: ${problem}`, { offset });
}

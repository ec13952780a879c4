/**
 * Reads one field of a `multipart/form-data` body: Pyroscope's SDKs send pprof to `/ingest` as
 * a form with the profile in the field `profile` (and optionally `prev_profile` and
 * `sample_type_config`, which Vigil does not need). Only what those clients send is handled:
 * parts with a Content-Disposition name, no nested multiparts.
 */
import { AppError } from '@vigil/core';

/** The boundary of a multipart Content-Type, or undefined when it is not multipart. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  const [mime, ...params] = (contentType ?? '').split(';');
  if (mime?.trim().toLowerCase() !== 'multipart/form-data') return undefined;
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq < 0 || p.slice(0, eq).trim().toLowerCase() !== 'boundary') continue;
    const value = p
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (value !== '') return value;
  }
  throw new AppError('bad_request', 'multipart/form-data Content-Type without a boundary parameter');
}

/** The bytes of form field `name`, or undefined when the form has no such field. */
export function multipartField(body: Buffer, boundary: string, name: string): Buffer | undefined {
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  if (at < 0) throw new AppError('bad_request', 'multipart body does not contain its boundary');
  for (;;) {
    const partStart = at + delimiter.length;
    // "--" right after a delimiter closes the body.
    if (body[partStart] === 0x2d && body[partStart + 1] === 0x2d) return undefined;
    const next = body.indexOf(delimiter, partStart);
    if (next < 0)
      throw new AppError('bad_request', 'multipart body ends inside a part (no closing boundary)');
    const part = body.subarray(partStart, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0)
      throw new AppError('bad_request', 'multipart part without a blank line after its headers');
    const headers = part.subarray(0, headerEnd).toString('latin1');
    const partName = /content-disposition:[^\r\n]*;\s*name="([^"]*)"/i.exec(headers)?.[1];
    if (partName === name) {
      // The part's content ends with the CRLF that precedes the next delimiter.
      let end = part.length;
      if (part[end - 2] === 0x0d && part[end - 1] === 0x0a) end -= 2;
      return part.subarray(headerEnd + 4, end);
    }
    at = next;
  }
}

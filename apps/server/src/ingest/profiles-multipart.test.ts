import { describe, expect, it } from 'vitest';
import { multipartBoundary, multipartField } from './profiles-multipart.ts';

/** Encodes a form the way undici's fetch does, to read it back with the parser. */
async function encodeForm(form: FormData): Promise<{ body: Buffer; contentType: string }> {
  const res = new Response(form);
  return { body: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type') ?? '' };
}

describe('multipartField', () => {
  it('returns the bytes of the named field, binary intact, and undefined for a missing one', async () => {
    const binary = Buffer.from([0x1f, 0x8b, 0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xff]);
    const form = new FormData();
    form.append('sample_type_config', '{"cpu":{}}');
    form.append('profile', new Blob([binary]), 'profile.pprof');
    const { body, contentType } = await encodeForm(form);
    const boundary = multipartBoundary(contentType) as string;
    expect(multipartField(body, boundary, 'profile')).toEqual(binary);
    expect(multipartField(body, boundary, 'sample_type_config')?.toString()).toBe('{"cpu":{}}');
    expect(multipartField(body, boundary, 'prev_profile')).toBeUndefined();
  });

  it('is not multipart without the multipart Content-Type, and refuses one without a boundary', () => {
    expect(multipartBoundary('application/octet-stream')).toBeUndefined();
    expect(() => multipartBoundary('multipart/form-data')).toThrow(/without a boundary/);
  });

  it('refuses a body cut off inside a part', () => {
    const body = Buffer.from('--b\r\nContent-Disposition: form-data; name="profile"\r\n\r\nabc');
    expect(() => multipartField(body, 'b', 'profile')).toThrow(/no closing boundary/);
  });
});

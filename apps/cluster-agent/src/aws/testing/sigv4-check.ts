/**
 * Checks an AWS Signature Version 4 the way AWS does (for the fake only): the canonical request
 * is rebuilt from the headers the client says it signed, and the signature recomputed with the
 * secret key the fake knows. A client with the right key id but the wrong secret fails here,
 * as against AWS (`SignatureDoesNotMatch`).
 *
 *   canonical request = method \n path \n query \n "name:value\n"… \n signed-names \n sha256(body)
 *   string to sign    = AWS4-HMAC-SHA256 \n X-Amz-Date \n date/region/service/aws4_request \n sha256(canonical)
 *   signing key       = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")
 */
import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export type SignatureVerdict =
  | { readonly ok: true; readonly accessKeyId: string; readonly region: string; readonly service: string }
  | {
      readonly ok: false;
      readonly code: 'MissingAuthenticationToken' | 'InvalidClientTokenId' | 'SignatureDoesNotMatch';
    };

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

export function checkSignature(
  req: { method: string; url: string; headers: IncomingHttpHeaders },
  body: Buffer,
  keys: { readonly accessKeyId: string; readonly secretAccessKey: string },
): SignatureVerdict {
  const m = AUTH.exec(String(req.headers.authorization ?? ''));
  if (!m) return { ok: false, code: 'MissingAuthenticationToken' };
  const [, keyId, date, region, service, signedNames, signature] = m as unknown as string[];
  if (keyId !== keys.accessKeyId) return { ok: false, code: 'InvalidClientTokenId' };
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const [path = '/', query = ''] = req.url.split('?');
  const names = signedNames!.split(';');
  const canonicalHeaders = names
    .map((name) => `${name}:${headerValue(req.headers[name]).trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonical = [
    req.method,
    path,
    canonicalQuery(query),
    canonicalHeaders,
    signedNames,
    sha256(body),
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(Buffer.from(canonical))].join('\n');
  let key: Buffer = hmac(`AWS4${keys.secretAccessKey}`, date!);
  for (const part of [region!, service!, 'aws4_request']) key = hmac(key, part);
  const expected = createHmac('sha256', key).update(toSign).digest('hex');
  return expected === signature
    ? { ok: true, accessKeyId: keyId!, region: region!, service: service! }
    : { ok: false, code: 'SignatureDoesNotMatch' };
}

function canonicalQuery(query: string): string {
  if (query === '') return '';
  return query
    .split('&')
    .map((pair) => pair.split('=').map((s) => encodeRfc3986(decodeURIComponent(s))) as [string, string?])
    .sort(([a, x = ''], [b, y = '']) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v = '']) => `${k}=${v}`)
    .join('&');
}

function encodeRfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function headerValue(v: string | string[] | undefined): string {
  return Array.isArray(v) ? v.join(',') : (v ?? '');
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

import type { PayloadFormat } from './request-body.ts';

/**
 * OTLP/HTTP response bodies. A fully accepted export answers with an empty
 * Export*ServiceResponse (an empty protobuf message, `{}` in JSON). Failures answer with a
 * google.rpc.Status carrying the message, encoded like the request (OTLP/HTTP spec).
 */
export function successBody(format: PayloadFormat): Buffer | string {
  return format === 'protobuf' ? Buffer.alloc(0) : '{}';
}

/** gRPC status codes used by OTLP error responses. */
export const GrpcCode = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNAUTHENTICATED: 16,
  UNAVAILABLE: 14,
  INTERNAL: 13,
} as const;

export function statusBody(format: PayloadFormat, code: number, message: string): Buffer | string {
  if (format === 'json') return JSON.stringify({ code, message });
  const text = Buffer.from(message, 'utf8');
  // field 1 (code, varint), field 2 (message, length-delimited)
  const header: number[] = [0x08, ...varint(code), 0x12, ...varint(text.length)];
  return Buffer.concat([Buffer.from(header), text]);
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}

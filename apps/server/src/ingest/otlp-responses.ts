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

/**
 * An Export*ServiceResponse that kept part of the request: `partial_success` (field 1) with
 * `rejected_*` (field 1, int64) and `error_message` (field 2). The rejected-count field is named
 * per signal in JSON (`rejectedDataPoints` for metrics).
 */
export function partialSuccessBody(
  format: PayloadFormat,
  rejectedField: 'rejectedDataPoints' | 'rejectedSpans' | 'rejectedLogRecords',
  rejected: number,
  message: string,
): Buffer | string {
  if (format === 'json') {
    return JSON.stringify({ partialSuccess: { [rejectedField]: String(rejected), errorMessage: message } });
  }
  const text = Buffer.from(message, 'utf8');
  const inner = Buffer.concat([
    Buffer.from([0x08, ...varint64(rejected), 0x12, ...varint(text.length)]),
    text,
  ]);
  return Buffer.concat([Buffer.from([0x0a, ...varint(inner.length)]), inner]);
}

function varint64(n: number): number[] {
  const out: number[] = [];
  let v = Math.max(0, Math.floor(n));
  while (v > 0x7f) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

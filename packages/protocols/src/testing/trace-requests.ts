/** Builders for small hand-made trace export requests, protobuf and JSON, used by decoder tests. */
import { bytes, hexBytes, lfield, sfield } from './proto-writer.ts';

export const TRACE_ID = '5b8efff798038103d269b633813fc60c';
export const SPAN_ID = 'eee19b7ec3c1b174';
/** Path of the only span in the requests below. */
export const SPAN_PATH = 'resourceSpans[0].scopeSpans[0].spans[0]';

/** Protobuf ExportTraceServiceRequest with one resource and one scope holding the given spans. */
export const protobufRequest = (...spans: number[][]): Uint8Array =>
  bytes(lfield(1, lfield(2, ...spans.map((s) => lfield(2, s)))));

/** Protobuf span fields with valid ids followed by `extra`. */
export const validProtobufSpan = (...extra: number[][]): number[] => [
  ...lfield(1, hexBytes(TRACE_ID)),
  ...lfield(2, hexBytes(SPAN_ID)),
  ...extra.flat(),
];

/** Protobuf KeyValue message parts. */
export const protobufKeyValue = (key: string, ...anyValue: number[][]): number[] => [
  ...sfield(1, key),
  ...lfield(2, ...anyValue),
];

/** OTLP/JSON request with one valid span, with `overrides` merged over its fields. */
export function jsonRequestWithSpan(overrides: Record<string, unknown>): string {
  const span = {
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    name: 'op',
    startTimeUnixNano: '1',
    endTimeUnixNano: '2',
    ...overrides,
  };
  return JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] });
}

/**
 * Encoder for OTLP/protobuf trace exports (ExportTraceServiceRequest), for agents that make spans
 * themselves (the node agent's eBPF spans). The decoder of the same messages is
 * traces-protobuf.ts; field numbers are those of opentelemetry-proto trace.proto.
 */
import {
  attributes,
  bytesField,
  fixed64Field,
  lenField,
  stringField,
  varintField,
} from './protobuf-encode-fields.ts';

/** OTLP `Span.SpanKind`. */
export const OUTGOING_SPAN_KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;
/** OTLP `Status.StatusCode`. */
export const OUTGOING_SPAN_STATUS = { unset: 0, ok: 1, error: 2 } as const;

/** One span as an agent produces it. */
export interface OutgoingSpan {
  /** 16 bytes. */
  readonly traceId: Uint8Array;
  /** 8 bytes. */
  readonly spanId: Uint8Array;
  /** 8 bytes, or empty for a root span. */
  readonly parentSpanId?: Uint8Array;
  readonly name: string;
  readonly kind: (typeof OUTGOING_SPAN_KIND)[keyof typeof OUTGOING_SPAN_KIND];
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  /** Strings, or integers (encoded as `int_value`). */
  readonly attributes: Readonly<Record<string, string | number>>;
  readonly statusCode: (typeof OUTGOING_SPAN_STATUS)[keyof typeof OUTGOING_SPAN_STATUS];
  readonly statusMessage?: string;
}

/** The spans of one resource (one container), under one instrumentation scope. */
export interface OutgoingResourceSpans {
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly scopeName: string;
  readonly scopeVersion: string;
  readonly spans: readonly OutgoingSpan[];
}

/** An ExportTraceServiceRequest body holding `groups` (one ResourceSpans each). */
export function encodeTracesExportRequest(groups: readonly OutgoingResourceSpans[]): Buffer {
  const parts: Buffer[] = [];
  for (const group of groups) {
    if (group.spans.length === 0) continue;
    const resource = attributes(1, group.resourceAttributes);
    const scope = Buffer.concat([stringField(1, group.scopeName), stringField(2, group.scopeVersion)]);
    const scopeSpans = [lenField(1, scope)];
    for (const s of group.spans) scopeSpans.push(lenField(2, span(s)));
    parts.push(lenField(1, Buffer.concat([lenField(1, resource), lenField(2, Buffer.concat(scopeSpans))])));
  }
  return Buffer.concat(parts);
}

function span(s: OutgoingSpan): Buffer {
  if (s.traceId.length !== 16 || s.spanId.length !== 8) {
    throw new Error(`span "${s.name}": trace id must be 16 bytes and span id 8`);
  }
  const status = Buffer.concat([
    stringField(2, s.statusMessage ?? ''),
    s.statusCode === 0 ? Buffer.alloc(0) : varintField(3, s.statusCode),
  ]);
  return Buffer.concat([
    bytesField(1, s.traceId),
    bytesField(2, s.spanId),
    bytesField(4, s.parentSpanId ?? Buffer.alloc(0)),
    stringField(5, s.name),
    varintField(6, s.kind),
    fixed64Field(7, s.startTimeUnixNano),
    fixed64Field(8, s.endTimeUnixNano),
    attributes(9, s.attributes),
    status.length === 0 ? Buffer.alloc(0) : lenField(15, status),
  ]);
}

/**
 * Encoder for OTLP/protobuf trace exports (ExportTraceServiceRequest), for agents that make spans
 * themselves (the node agent's eBPF spans). The decoder of the same messages is
 * traces-protobuf.ts; field numbers are those of opentelemetry-proto trace.proto.
 */
import {
  beginMessage,
  endMessage,
  finish,
  newWriter,
  writeAttributes,
  writeBytes,
  writeFixed64,
  writeResourceGroup,
  writeString,
  writeUint32,
  type ProtoWriter,
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
  for (const group of groups) for (const s of group.spans) checkIds(s);
  const w = newWriter();
  for (const group of groups) {
    if (group.spans.length !== 0) writeResourceGroup(w, group, group.spans, span);
  }
  return finish(w);
}

/** Checked before anything is written: a bad span fails the whole request, as before. */
function checkIds(s: OutgoingSpan): void {
  if (s.traceId.length !== 16 || s.spanId.length !== 8) {
    throw new Error(`span "${s.name}": trace id must be 16 bytes and span id 8`);
  }
}

function span(w: ProtoWriter, s: OutgoingSpan): void {
  writeBytes(w, 1, s.traceId);
  writeBytes(w, 2, s.spanId);
  writeBytes(w, 4, s.parentSpanId ?? EMPTY);
  writeString(w, 5, s.name);
  writeUint32(w, 6, s.kind);
  writeFixed64(w, 7, s.startTimeUnixNano);
  writeFixed64(w, 8, s.endTimeUnixNano);
  writeAttributes(w, 9, s.attributes);
  if ((s.statusMessage ?? '') !== '' || s.statusCode !== 0) {
    beginMessage(w, 15); // Status
    writeString(w, 2, s.statusMessage ?? '');
    writeUint32(w, 3, s.statusCode);
    endMessage(w);
  }
}

const EMPTY = new Uint8Array(0);

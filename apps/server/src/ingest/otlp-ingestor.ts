import { AppError } from '@vigil/core';
import { decodeLogsJson, decodeTracesJson } from '@vigil/protocols';
import {
  checkChunkTimes,
  decodeLogsChunk,
  decodeSpansChunk,
  logChunkFromRecords,
  spanChunkFromRecords,
  type NativeChunk,
} from '@vigil/storage';
import type { SelfMetrics } from '../observability/self-metrics.ts';
import type { ProjectTelemetry } from './project-telemetry.ts';
import type { PayloadFormat } from './request-body.ts';

export type Signal = 'traces' | 'logs';
export type Transport = 'http' | 'grpc';

export interface IngestorSettings {
  maxFutureSkewMs: number;
  /** The write buffer's capacity: a larger request could never be accepted, so it gets 413, not 429. */
  bufferMaxItems: number;
  /** How long a request waits for room in a full buffer before it is answered 429. */
  waitMs: number;
}

interface IngestBuffer {
  readonly canAcceptOrPark: boolean;
  offerWithin(items: NativeChunk[], waitMs: number): Promise<boolean>;
}

/** Finds the project's telemetry pipelines; resolved by the auth layer's project id. */
export type TelemetryLookup = (projectId: string) => Promise<ProjectTelemetry>;

/**
 * Request body → one chunk of table columns. Protobuf, the bulk of OTLP traffic, is decoded
 * straight into columns; JSON is decoded into records first.
 */
function decodeChunk(
  signal: Signal,
  format: PayloadFormat,
  body: Uint8Array,
  onRescued: () => void,
): NativeChunk {
  if (format === 'protobuf')
    return signal === 'traces' ? decodeSpansChunk(body, onRescued) : decodeLogsChunk(body, onRescued);
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return signal === 'traces'
    ? spanChunkFromRecords(decodeTracesJson(text))
    : logChunkFromRecords(decodeLogsJson(text));
}

/**
 * The transport-independent half of OTLP ingestion: decode, validate, hand to the project's
 * write buffer. A request is accepted whole or rejected whole, so nothing of a rejected request
 * is ever stored. HTTP and gRPC front-ends map the AppErrors thrown here to their status codes.
 */
export class OtlpIngestor {
  constructor(
    private readonly telemetry: TelemetryLookup,
    private readonly metrics: SelfMetrics,
    private readonly settings: IngestorSettings,
  ) {}

  async ingest(
    projectId: string,
    signal: Signal,
    format: PayloadFormat,
    body: Uint8Array,
    transport: Transport,
  ): Promise<number> {
    const project = await this.telemetry(projectId);
    const buffer: IngestBuffer = signal === 'traces' ? project.traceBuffer : project.logBuffer;
    // Refuse before decoding when the buffer and its parking space are full: under overload every
    // refused request would otherwise cost a full decode (the ingest benchmark saw 120k spans
    // wasted in 30 s).
    if (!buffer.canAcceptOrPark) {
      this.metrics.rejectedItems(signal, 'overloaded');
      throw this.overloaded(signal);
    }
    let chunk: NativeChunk;
    try {
      chunk = decodeChunk(signal, format, body, () => this.metrics.decoderRescued(signal));
    } catch (e) {
      this.metrics.rejectedItems(signal, 'malformed');
      if (e instanceof AppError) throw e;
      throw new AppError(
        'bad_request',
        `malformed OTLP ${format} ${signal} request: ${(e as Error).message}`,
        { cause: e },
      );
    }
    const count = chunk.rows;
    const nowMs = Date.now();
    const maxNs = BigInt(nowMs + this.settings.maxFutureSkewMs) * 1_000_000n;
    // A log record with neither time nor observed time gets the time it was received (OTLP
    // leaves such records "unknown"): stored as 1970 it would be invisible to every time-bounded
    // query. Spans always have a start time.
    const receivedNs = signal === 'logs' ? BigInt(nowMs) * 1_000_000n : undefined;
    const future = checkChunkTimes(chunk, maxNs, receivedNs);
    if (future >= 0) {
      this.metrics.rejectedItems(signal, 'future_timestamp', count);
      const what = signal === 'traces' ? 'span' : 'log record';
      throw new AppError(
        'bad_request',
        `${what} #${future} has a timestamp more than ${this.settings.maxFutureSkewMs} ms in the future; the request was not stored`,
      );
    }
    if (count === 0) return 0;
    if (count > this.settings.bufferMaxItems) {
      this.metrics.rejectedItems(signal, 'too_large', count);
      throw new AppError(
        'payload_too_large',
        `the request holds ${count} ${signal} records, more than the write buffer takes at once (${this.settings.bufferMaxItems}); split it`,
      );
    }
    if (!(await buffer.offerWithin([chunk], this.settings.waitMs))) {
      this.metrics.rejectedItems(signal, 'overloaded', count);
      throw this.overloaded(signal);
    }
    this.metrics.accepted(signal, transport, count);
    return count;
  }

  private overloaded(signal: Signal): AppError {
    return new AppError('overloaded', `the ${signal} write buffer is full; retry later`, {
      retryAfterSeconds: 1,
    });
  }
}

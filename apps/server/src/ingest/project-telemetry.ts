import { failed, ok, retryable, type Logger, type Outcome } from '@vigil/core';
import type { LogRecord, SpanRecord } from '@vigil/protocols';
import type { ServiceSeen } from '@vigil/spec';
import type { LogStore, TraceStore } from '@vigil/storage';
import type { SelfMetrics } from '../observability/self-metrics.ts';
import { WriteBuffer } from './write-buffer.ts';

export interface BufferSettings {
  batchMaxItems: number;
  batchMaxDelayMs: number;
  bufferMaxItems: number;
}

/**
 * Codes of ClickHouse errors that mean the rows themselves are bad (the encoder wrote something
 * the table cannot take). Retrying those would block the queue forever, so they fail the batch.
 * 6 CANNOT_PARSE_TEXT, 26/27 CANNOT_PARSE_QUOTED_STRING/INPUT_ASSERTION, 41/38 CANNOT_PARSE_DATETIME/DATE,
 * 53 TYPE_MISMATCH, 117 INCORRECT_DATA, 16 NO_SUCH_COLUMN_IN_TABLE.
 */
const INVALID_DATA_CODES = new Set(['6', '16', '26', '27', '38', '41', '53', '117']);

export function classifyInsertError(e: unknown): Outcome {
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (e as { code?: unknown }).code ?? ((e as { cause?: { code?: unknown } }).cause?.code);
  if (typeof code === 'string' && INVALID_DATA_CODES.has(code)) return failed(err);
  return retryable(err);
}

async function toOutcome(write: () => Promise<void>): Promise<Outcome> {
  try {
    await write();
    return ok;
  } catch (e) {
    return classifyInsertError(e);
  }
}

export interface TelemetryStores {
  traces: TraceStore;
  logs: LogStore;
  listServices(fromMs: number, toMs: number): Promise<ServiceSeen[]>;
}

/** The stores and write buffers of one project. */
export class ProjectTelemetry {
  readonly traces: TraceStore;
  readonly logs: LogStore;
  readonly listServices: (fromMs: number, toMs: number) => Promise<ServiceSeen[]>;
  readonly traceBuffer: WriteBuffer<SpanRecord>;
  readonly logBuffer: WriteBuffer<LogRecord>;

  constructor(stores: TelemetryStores, settings: BufferSettings, metrics: SelfMetrics, logger: Logger) {
    this.traces = stores.traces;
    this.logs = stores.logs;
    this.listServices = stores.listServices;
    const common = {
      maxBatchItems: settings.batchMaxItems,
      maxDelayMs: settings.batchMaxDelayMs,
      maxBufferedItems: settings.bufferMaxItems,
      observer: metrics,
      logger,
    };
    this.traceBuffer = new WriteBuffer<SpanRecord>({
      ...common,
      signal: 'traces',
      write: (batch) => toOutcome(() => this.traces.insert(batch)),
    });
    this.logBuffer = new WriteBuffer<LogRecord>({
      ...common,
      signal: 'logs',
      write: (batch) => toOutcome(() => this.logs.insert(batch)),
    });
  }

  async forceFlush(): Promise<void> {
    await Promise.all([this.traceBuffer.forceFlush(), this.logBuffer.forceFlush()]);
  }

  async shutdown(): Promise<void> {
    await Promise.all([this.traceBuffer.shutdown(), this.logBuffer.shutdown()]);
  }
}

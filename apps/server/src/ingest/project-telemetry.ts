import type { Logger } from '@vigil/core';
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
      // Two inserts at a time keep both cores busy: one batch is encoded while the engine
      // writes the other (measured in bench/ingest-*; see docs/perf.md).
      maxConcurrentWrites: 2,
      observer: metrics,
      logger,
    };
    this.traceBuffer = new WriteBuffer<SpanRecord>({
      ...common,
      signal: 'traces',
      write: (batch) => this.traces.insert(batch),
    });
    this.logBuffer = new WriteBuffer<LogRecord>({
      ...common,
      signal: 'logs',
      write: (batch) => this.logs.insert(batch),
    });
  }

  async forceFlush(): Promise<void> {
    await Promise.all([this.traceBuffer.forceFlush(), this.logBuffer.forceFlush()]);
  }

  async shutdown(): Promise<void> {
    await Promise.all([this.traceBuffer.shutdown(), this.logBuffer.shutdown()]);
  }
}

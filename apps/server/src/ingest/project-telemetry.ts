import type { Logger } from '@vigil/core';
import type { MetricMetadata, MetricSeries, SeriesRefs } from '@vigil/protocols';
import type { ServiceSeen } from '@vigil/spec';
import type {
  LogStore,
  MetricsChunk,
  MetricStore,
  NativeChunk,
  ProfileChunk,
  ProfileStore,
  TraceStore,
} from '@vigil/storage';
import type { MetricsQueryService } from '../metrics/query-service.ts';
import type { SelfMetrics } from '../observability/self-metrics.ts';
import { WriteBuffer } from './write-buffer.ts';

export interface BufferSettings {
  batchMaxItems: number;
  batchMaxDelayMs: number;
  bufferMaxItems: number;
  insertConcurrency: number;
  /**
   * Metrics batch on their own: a sample row is ~24 bytes against ~1 KB for a span, and every
   * insert is a part ClickHouse merges again later, so fewer, larger inserts save more CPU in
   * merges than anything else on the path (bench/remote-write at 1M series: merges took 0.94 µs
   * per sample with inserts of 50k rows, 0.65 with 250k, 0.45 with 500k).
   */
  metricsBatchMaxSamples: number;
  metricsBatchMaxDelayMs: number;
  metricsBufferMaxSamples: number;
}

export interface TelemetryStores {
  traces: TraceStore;
  logs: LogStore;
  profiles: ProfileStore;
  metrics: MetricStore;
  metricsQuery: MetricsQueryService;
  /** Set in external backend mode: series go to the backend instead of `metrics`. */
  forwardMetrics?: (series: MetricSeries[], metadata: readonly MetricMetadata[]) => Promise<number>;
  listServices(fromMs: number, toMs: number): Promise<ServiceSeen[]>;
}

/** The stores and write buffers of one project. */
export class ProjectTelemetry {
  readonly traces: TraceStore;
  readonly logs: LogStore;
  readonly profiles: ProfileStore;
  readonly listServices: (fromMs: number, toMs: number) => Promise<ServiceSeen[]>;
  /** Spans and log records wait as chunks of column data, one per request (see @vigil/storage). */
  readonly traceBuffer: WriteBuffer<NativeChunk>;
  readonly logBuffer: WriteBuffer<NativeChunk>;
  /** Profiles wait as their rows, one chunk per request, counted in sample rows. */
  readonly profileBuffer: WriteBuffer<ProfileChunk>;
  readonly metrics: MetricStore;
  readonly metricsQuery: MetricsQueryService;
  readonly forwardMetrics:
    ((series: MetricSeries[], metadata: readonly MetricMetadata[]) => Promise<number>) | undefined;
  /** Requests' series and resolved samples waiting for insertion (counted in series + samples). */
  readonly metricBuffer: WriteBuffer<MetricsChunk>;
  /** What the remote write decoder resolves known series with (undefined in external mode). */
  readonly seriesRefs: SeriesRefs<unknown> | undefined;
  /** Metadata seen since the last metrics insert, latest per family; written with the next batch. */
  private pendingMetadata = new Map<string, MetricMetadata>();

  constructor(stores: TelemetryStores, settings: BufferSettings, metrics: SelfMetrics, logger: Logger) {
    this.traces = stores.traces;
    this.logs = stores.logs;
    this.profiles = stores.profiles;
    this.listServices = stores.listServices;
    this.metrics = stores.metrics;
    this.metricsQuery = stores.metricsQuery;
    this.forwardMetrics = stores.forwardMetrics;
    const common = {
      maxBatchItems: settings.batchMaxItems,
      maxDelayMs: settings.batchMaxDelayMs,
      maxBufferedItems: settings.bufferMaxItems,
      // Two inserts at a time (the default) keep the engine busy while the other insert waits for
      // a core: 124-129k vs 97-108k spans/s in bench/ingest-traces, peak RSS 890-912 MiB with the
      // allocator setting of apps/cli (docs/perf.md).
      maxConcurrentWrites: settings.insertConcurrency,
      observer: metrics,
      logger,
    };
    const rows = (chunk: NativeChunk): number => chunk.rows;
    this.traceBuffer = new WriteBuffer<NativeChunk>({
      ...common,
      signal: 'traces',
      weigh: rows,
      write: (batch) => this.traces.insertChunks(batch),
    });
    this.logBuffer = new WriteBuffer<NativeChunk>({
      ...common,
      signal: 'logs',
      weigh: rows,
      write: (batch) => this.logs.insertChunks(batch),
    });
    this.profileBuffer = new WriteBuffer<ProfileChunk>({
      ...common,
      signal: 'profiles',
      weigh: (chunk) => chunk.rows,
      write: (batch) => this.profiles.insertChunks(batch),
    });
    this.metricBuffer = new WriteBuffer<MetricsChunk>({
      ...common,
      maxBatchItems: settings.metricsBatchMaxSamples,
      maxDelayMs: settings.metricsBatchMaxDelayMs,
      maxBufferedItems: settings.metricsBufferMaxSamples,
      signal: 'metrics',
      weigh: (chunk) => chunk.series.length + (chunk.resolved?.count ?? 0),
      write: (batch) => this.writeMetrics(batch),
    });
    this.seriesRefs = stores.forwardMetrics === undefined ? stores.metrics.seriesRefs : undefined;
  }

  noteMetadata(metadata: readonly MetricMetadata[]): void {
    for (const m of metadata) this.pendingMetadata.set(m.metricFamilyName, m);
  }

  private async writeMetrics(batch: MetricsChunk[]) {
    const metadata = [...this.pendingMetadata.values()];
    this.pendingMetadata = new Map();
    const outcome = await this.metrics.insertChunks(batch, metadata);
    // Metadata of a batch that will be retried goes with the retry.
    if (outcome.kind === 'retryable')
      for (const m of metadata)
        if (!this.pendingMetadata.has(m.metricFamilyName)) this.pendingMetadata.set(m.metricFamilyName, m);
    return outcome;
  }

  async forceFlush(): Promise<void> {
    await Promise.all([
      this.traceBuffer.forceFlush(),
      this.logBuffer.forceFlush(),
      this.profileBuffer.forceFlush(),
      this.metricBuffer.forceFlush(),
    ]);
  }

  async shutdown(): Promise<void> {
    await Promise.all([
      this.traceBuffer.shutdown(),
      this.logBuffer.shutdown(),
      this.profileBuffer.shutdown(),
      this.metricBuffer.shutdown(),
    ]);
  }
}

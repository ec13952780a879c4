import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { WriteBufferObserver } from '../ingest/write-buffer.ts';

/** One registry query's cache lag, for `vigil_metrics_cache_lag_seconds`. */
export interface CacheLagSample {
  project: string;
  query: string;
  lagSeconds: number;
}

/** One project's metric-store figures, for `vigil_metrics_rollup_*` and `vigil_metrics_recent_*`. */
export interface MetricStoreSample {
  project: string;
  /** Undefined before any rollup was built, or without rollups. */
  rollupLagSeconds?: number;
  rollupDirtyRanges?: number;
  /** Undefined without recent samples in memory. */
  recentSamples?: number;
  recentWindowSeconds?: number;
}

/**
 * The server's own Prometheus metrics, served at `/metrics`. A registry per server instance, so
 * two servers in one test process do not share counters. Labels stay low-cardinality (signal,
 * reason, protocol); anything per-request belongs in logs.
 */
export class SelfMetrics implements WriteBufferObserver {
  readonly registry = new Registry();
  private readonly received = new Counter({
    name: 'vigil_ingest_items_total',
    help: 'Records accepted for storage, by signal and protocol.',
    labelNames: ['signal', 'protocol'] as const,
    registers: [this.registry],
  });
  private readonly rejected = new Counter({
    name: 'vigil_ingest_rejected_items_total',
    help: 'Records or requests rejected, by signal and reason (requests when the item count is unknown).',
    labelNames: ['signal', 'reason'] as const,
    registers: [this.registry],
  });
  private readonly rescued = new Counter({
    name: 'vigil_ingest_decoder_rescues_total',
    help: 'OTLP/protobuf requests the column decoder could not read but the record decoder could; their records are stored either way, each one is a decoder bug to report.',
    labelNames: ['signal'] as const,
    registers: [this.registry],
  });
  private readonly batchSize = new Histogram({
    name: 'vigil_ingest_batch_size',
    help: 'Records per ClickHouse insert.',
    labelNames: ['signal'] as const,
    buckets: [1, 10, 100, 1000, 5000, 10000, 20000, 50000, 100000],
    registers: [this.registry],
  });
  private readonly insertSeconds = new Histogram({
    name: 'vigil_ingest_insert_duration_seconds',
    help: 'Time to insert one batch into ClickHouse.',
    labelNames: ['signal'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly insertFailures = new Counter({
    name: 'vigil_ingest_insert_failures_total',
    help: 'Failed batch inserts; final="true" when the records were given up.',
    labelNames: ['signal', 'final'] as const,
    registers: [this.registry],
  });
  private readonly queue = new Gauge({
    name: 'vigil_ingest_queue_items',
    help: 'Records accepted and waiting to be inserted.',
    labelNames: ['signal'] as const,
    registers: [this.registry],
  });

  private readonly cacheRefreshSeconds = new Histogram({
    name: 'vigil_metrics_cache_refresh_duration_seconds',
    help: 'Time of one metrics-cache refresh (every registry query of a project).',
    labelNames: ['project'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  private readonly cacheLagSources: Array<() => Iterable<CacheLagSample>> = [];
  private readonly cacheLag: Gauge<'project' | 'query'> = new Gauge({
    name: 'vigil_metrics_cache_lag_seconds',
    help: 'Now minus the newest cached evaluation time, per registry query (a fixed set of ids).',
    labelNames: ['project', 'query'] as const,
    registers: [this.registry],
    collect: () => {
      this.cacheLag.reset();
      for (const source of this.cacheLagSources) {
        for (const s of source()) this.cacheLag.set({ project: s.project, query: s.query }, s.lagSeconds);
      }
    },
  });

  private readonly storeSources: Array<() => Iterable<MetricStoreSample>> = [];
  /** The four metric-store gauges below, filled at every scrape from {@link watchMetricStore}. */
  private readonly storeGauges = {
    rollupLag: this.projectGauge(
      'vigil_metrics_rollup_lag_seconds',
      'Now minus the end of the newest 5-minute rollup bucket built, per project (a bucket is built 2 min after its end).',
      // Registered first of the four, so its collect fills them all before any is written out.
      () => this.#collectStore(),
    ),
    rollupDirty: this.projectGauge(
      'vigil_metrics_rollup_dirty_ranges',
      'Ranges of rollup buckets that got older samples after they were built, waiting to be rebuilt.',
    ),
    recentSamples: this.projectGauge(
      'vigil_metrics_recent_samples',
      'Newest samples held in memory for recent queries, per project.',
    ),
    recentWindow: this.projectGauge(
      'vigil_metrics_recent_window_seconds',
      'How far back queries are answered from memory (0: not yet filled, or off because the series are too many for VIGIL_METRICS_RECENT_SAMPLES).',
    ),
  };

  private projectGauge(name: string, help: string, collect?: () => void): Gauge<'project'> {
    return new Gauge({
      name,
      help,
      labelNames: ['project'] as const,
      registers: [this.registry],
      ...(collect ? { collect } : {}),
    });
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'vigil_' });
  }

  cacheRefreshed(project: string, durationMs: number): void {
    this.cacheRefreshSeconds.observe({ project }, durationMs / 1000);
  }

  /** Registers a source of metric-store figures (rollups, recent samples), read at every scrape. */
  watchMetricStore(source: () => Iterable<MetricStoreSample>): void {
    this.storeSources.push(source);
  }

  #collectStore(): void {
    const g = this.storeGauges;
    for (const gauge of Object.values(g)) gauge.reset();
    for (const source of this.storeSources) {
      for (const s of source()) {
        const project = { project: s.project };
        if (s.rollupLagSeconds !== undefined) g.rollupLag.set(project, s.rollupLagSeconds);
        if (s.rollupDirtyRanges !== undefined) g.rollupDirty.set(project, s.rollupDirtyRanges);
        if (s.recentSamples !== undefined) g.recentSamples.set(project, s.recentSamples);
        if (s.recentWindowSeconds !== undefined) g.recentWindow.set(project, s.recentWindowSeconds);
      }
    }
  }

  /** Registers a source of cache lags, read at every scrape. */
  watchCacheLag(source: () => Iterable<CacheLagSample>): void {
    this.cacheLagSources.push(source);
  }

  accepted(signal: string, protocol: string, items: number): void {
    this.received.inc({ signal, protocol }, items);
  }

  decoderRescued(signal: string): void {
    this.rescued.inc({ signal });
  }

  rejectedItems(signal: string, reason: string, items = 1): void {
    this.rejected.inc({ signal, reason }, items);
  }

  batchWritten(signal: string, items: number, durationMs: number): void {
    this.batchSize.observe({ signal }, items);
    this.insertSeconds.observe({ signal }, durationMs / 1000);
  }

  batchFailed(signal: string, items: number, final: boolean): void {
    this.insertFailures.inc({ signal, final: String(final) });
    if (final) this.rejected.inc({ signal, reason: 'insert_failed' }, items);
  }

  queueDepth(signal: string, items: number): void {
    this.queue.set({ signal }, items);
  }

  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

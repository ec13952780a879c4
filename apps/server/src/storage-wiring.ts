import type { Logger } from '@vigil/core';
import type { MetricMetadata, MetricSeries } from '@vigil/protocols';
import {
  listServices,
  LogStore,
  MetricStore,
  openDatabase,
  ProfileStore,
  runMigrations,
  TraceStore,
  type Database,
} from '@vigil/storage';
import { DEFAULT_PROJECT_ID } from './bootstrap.ts';
import type { ServerConfig } from './config/index.ts';
import { ProjectTelemetry } from './ingest/project-telemetry.ts';
import { RemoteWriteForwarder } from './ingest/metrics/remote-write-forwarder.ts';
import { EmbeddedMetricsQueryService } from './metrics/embedded-query-service.ts';
import { RollupSchedule } from './metrics/rollup-schedule.ts';
import { PrometheusQueryService } from './metrics/prometheus-query-service.ts';
import type { MetricsQueryService } from './metrics/query-service.ts';
import { PrometheusClient } from '@vigil/promql';
import type { SelfMetrics } from './observability/self-metrics.ts';

interface OpenedProject {
  db: Database;
  telemetry: ProjectTelemetry;
  schedule: RollupSchedule | undefined;
}

/** Telemetry storage of every project, opened lazily per project. */
export interface TelemetryStorage {
  project(projectId: string): Promise<ProjectTelemetry>;
  /** Resolves when the default project's storage answers; rejects with the reason otherwise. */
  ready(): Promise<void>;
  forceFlush(): Promise<void>;
  /** Writes everything accepted and refuses new records. */
  shutdownBuffers(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The database of the default project: the configured name, else the database named in the
 * ClickHouse URL's path (`http://host:8123/telemetry`), else `vigil`.
 */
export function baseDatabase(config: Pick<ServerConfig, 'clickhouseDatabase' | 'clickhouseUrl'>): string {
  if (config.clickhouseDatabase) return config.clickhouseDatabase;
  const fromUrl = config.clickhouseUrl
    ? new URL(config.clickhouseUrl).pathname.replace(/^\/+|\/+$/g, '')
    : '';
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(fromUrl) ? fromUrl : 'vigil';
}

/**
 * The ClickHouse database of a project: the base database for the default project, a derived
 * name for others, so projects never share tables (and a project's data can be dropped whole).
 */
export function projectDatabase(base: string, projectId: string): string {
  if (projectId === DEFAULT_PROJECT_ID) return base;
  return `${base}_p_${projectId.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

export async function openTelemetryStorage(
  config: ServerConfig,
  dataDir: string,
  metrics: SelfMetrics,
  logger: Logger,
): Promise<TelemetryStorage> {
  const base = baseDatabase(config);
  const opened = new Map<string, Promise<OpenedProject>>();
  const bufferSettings = {
    batchMaxItems: config.batchMaxItems,
    batchMaxDelayMs: config.batchMaxDelayMs,
    bufferMaxItems: config.bufferMaxItems,
    insertConcurrency: config.insertConcurrency,
    metricsBatchMaxSamples: config.metricsBatchMaxSamples,
    metricsBatchMaxDelayMs: config.metricsBatchMaxDelayMs,
    metricsBufferMaxSamples: config.metricsBufferMaxSamples,
  };

  const backend = externalMetricsBackend(config, logger);

  const open = async (projectId: string): Promise<OpenedProject> => {
    const db = await openDatabase({
      ...(config.clickhouseUrl ? { url: config.clickhouseUrl } : {}),
      dataDir,
      database: projectDatabase(base, projectId),
      logger,
    });
    try {
      const applied = await runMigrations(
        db,
        {
          tracesTtlDays: config.tracesTtlDays,
          logsTtlDays: config.logsTtlDays,
          profilesTtlDays: config.profilesTtlDays,
          metricsTtlDays: config.metricsTtlDays,
        },
        { logger },
      );
      if (applied.length > 0)
        logger.info({ projectId, database: db.database, applied }, 'storage migrations applied');
    } catch (e) {
      await db.close();
      throw e;
    }
    // Rollups only where this process is the store's one writer (embedded); against a shared
    // ClickHouse several servers would each keep their own idea of what is built.
    const rollups = config.metricsRollups && db.mode === 'embedded' && !backend;
    const metricStore = new MetricStore(db, {
      knownSeriesLimit: config.metricsKnownSeries,
      rollups,
      // Also only as the one writer: another server's writes would not reach this memory.
      recentSamples:
        config.metricsRecentSamples > 0 && db.mode === 'embedded' && !backend
          ? { maxSamples: config.metricsRecentSamples }
          : false,
    });
    // Fill the in-memory samples now, so the first dashboard does not wait for it.
    void metricStore.recentReady();
    const schedule = rollups ? new RollupSchedule(metricStore, logger.child({ projectId })) : undefined;
    metrics.watchMetricStore(() => {
      const now = Date.now();
      const rollup = metricStore.rollupState;
      const recent = metricStore.recentState;
      const window =
        recent?.on && Number.isFinite(recent.validFromMs) ? (now - recent.validFromMs) / 1000 : 0;
      return [
        {
          project: projectId,
          ...(schedule && rollup.coveredUntil !== undefined
            ? { rollupLagSeconds: (now - rollup.coveredUntil) / 1000 }
            : {}),
          ...(schedule ? { rollupDirtyRanges: rollup.dirtyRanges } : {}),
          ...(recent ? { recentSamples: recent.samples, recentWindowSeconds: Math.max(0, window) } : {}),
        },
      ];
    });
    const telemetry = new ProjectTelemetry(
      {
        traces: new TraceStore(db),
        logs: new LogStore(db),
        profiles: new ProfileStore(db),
        metrics: metricStore,
        metricsQuery:
          backend?.query ??
          new EmbeddedMetricsQueryService(metricStore, { timeoutMs: config.queryTimeoutMs }),
        ...(backend ? { forwardMetrics: backend.forward } : {}),
        listServices: (fromMs, toMs) => listServices(db, fromMs, toMs),
      },
      bufferSettings,
      metrics,
      logger.child({ projectId }),
    );
    return { db, telemetry, schedule };
  };

  const get = (projectId: string) => {
    let p = opened.get(projectId);
    if (!p) {
      p = open(projectId);
      // A failed open is retried on the next request instead of being cached forever.
      p.catch(() => opened.delete(projectId));
      opened.set(projectId, p);
    }
    return p;
  };

  // The default project is opened (and migrated) at start, so a broken storage fails start-up.
  await get(DEFAULT_PROJECT_ID);

  const all = async () => Promise.all([...opened.values()].map((p) => p.catch(() => undefined)));
  return {
    project: async (projectId) => (await get(projectId)).telemetry,
    ready: async () => {
      const { db } = await get(DEFAULT_PROJECT_ID);
      if (!(await db.ping())) throw new Error('ClickHouse does not answer');
    },
    forceFlush: async () => {
      await Promise.all((await all()).map((o) => o?.telemetry.forceFlush()));
    },
    shutdownBuffers: async () => {
      await Promise.all((await all()).map((o) => o?.telemetry.shutdown()));
    },
    close: async () => {
      const entries = await all();
      opened.clear();
      for (const o of entries) {
        await o?.schedule?.stop();
        await o?.db.close();
      }
    },
  };
}

/**
 * VIGIL_PROMETHEUS_URL set: queries go to that backend and remote write is forwarded to it. Every
 * project shares the one backend (per-project backends are not configurable yet).
 */
function externalMetricsBackend(
  config: ServerConfig,
  logger: Logger,
):
  | {
      query: MetricsQueryService;
      forward: (s: MetricSeries[], m: readonly MetricMetadata[]) => Promise<number>;
    }
  | undefined {
  if (!config.prometheusUrl) return undefined;
  const url = new URL(config.prometheusUrl);
  const username = config.prometheusUser ?? decodeURIComponent(url.username);
  const password = config.prometheusPassword ?? decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  const base = url.toString().replace(/\/+$/, '');
  const auth = username || password ? { basicAuth: { username, password } } : {};
  const client = new PrometheusClient({
    url: base,
    headers: config.prometheusHeaders,
    timeoutMs: config.queryTimeoutMs,
    ...auth,
  });
  const forwarder = new RemoteWriteForwarder({
    url: config.prometheusRemoteWriteUrl ?? `${base}/api/v1/write`,
    headers: config.prometheusHeaders,
    logger,
    ...auth,
  });
  return { query: new PrometheusQueryService(client), forward: (s, m) => forwarder.forward(s, m) };
}

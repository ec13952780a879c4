import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import type { Logger } from '@vigil/core';
import { openTelemetryStorage, type TelemetryStorage } from './storage-wiring.ts';
import { authRoutes } from './api/auth-routes.ts';
import { telemetryRoutes } from './api/telemetry-routes.ts';
import { profileRoutes } from './api/profile-routes.ts';
import { IngestAuth } from './auth/ingest-auth.ts';
import { ReadAuth } from './auth/read-auth.ts';
import { bootstrap, DEFAULT_PROJECT_ID, type BootstrapResult } from './bootstrap.ts';
import { formatListenAddress, listenHost, type ListenAddress, type ServerConfig } from './config/index.ts';
import { openConfigDb, type ConfigDb } from './configdb/index.ts';
import { healthRoutes } from './http/health-routes.ts';
import { webUi } from './http/web-ui.ts';
import { installJsonErrorHandler } from './http/json-errors.ts';
import { OtlpGrpcServer } from './ingest/otlp-grpc-server.ts';
import { otlpHttpRoutes } from './ingest/otlp-http-routes.ts';
import { MetricsIngestor } from './ingest/metrics/metrics-ingestor.ts';
import { metricsHttpRoutes } from './ingest/metrics/metrics-http-routes.ts';
import { DEFAULT_SERIES_LIMITS } from './ingest/metrics/series-validation.ts';
import { prometheusRoutes } from './api/prometheus/prometheus-routes.ts';
import { cacheRoutes } from './api/cache-routes.ts';
import { incidentRoutes } from './api/incident-routes.ts';
import { modelRoutes } from './api/model-routes.ts';
import { instrumentationRoutes } from './api/instrumentation-routes.ts';
import { awsIntegrationRoutes } from './api/aws-integration-routes.ts';
import { notificationRoutes } from './api/notification-routes.ts';
import { InstrumentationSettings } from './instrumentation/instrumentation-settings.ts';
import { AwsSettings } from './instrumentation/aws-settings.ts';
import { settingsRoutes } from './api/settings-routes.ts';
import { projectRoutes } from './api/project-routes.ts';
import { userRoutes } from './api/user-routes.ts';
import { statusRoutes } from './api/status-routes.ts';
import { AuditService } from './model/audit-service.ts';
import { IncidentLoop } from './model/incident-loop.ts';
import { RcaService } from './model/rca-service.ts';
import { ProjectSettings } from './model/project-settings.ts';
import { WorldService } from './model/world-service.ts';
import { createNotifications } from './notifications/index.ts';
import { MetricsCaches } from './metrics-cache/metrics-caches.ts';
import { VIGIL_VERSION } from './version.ts';
import { OtlpIngestor } from './ingest/otlp-ingestor.ts';
import { ProfilesIngestor } from './ingest/profiles-ingestor.ts';
import { profilesHttpRoutes } from './ingest/profiles-http-routes.ts';
import { createLogger } from './logging.ts';
import { SelfMetrics } from './observability/self-metrics.ts';

export interface RunningServer {
  readonly config: ServerConfig;
  readonly bootstrap: BootstrapResult;
  /** Ports actually bound (useful when configured as :0). */
  readonly ports: { api: number; otlpHttp: number; otlpGrpc: number };
  readonly logger: PinoLogger;
  /** Writes every accepted record to storage. */
  forceFlush(): Promise<void>;
  /** Stops listening, writes everything accepted, closes storage. Idempotent. */
  shutdown(): Promise<void>;
}

async function listen(app: FastifyInstance, addr: ListenAddress): Promise<number> {
  const host = listenHost(addr) ?? '0.0.0.0';
  await app.listen({ host, port: addr.port });
  const bound = app.server.address();
  return typeof bound === 'object' && bound ? bound.port : addr.port;
}

function newHttpApp(logger: PinoLogger, bodyLimit: number): FastifyInstance {
  return Fastify({
    loggerInstance: logger,
    // Per-request logs would dominate the ingest hot path; failures are logged by the error handlers.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit,
    // Keep-alive sockets of idle clients are closed at shutdown; in-flight requests finish.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  }) as unknown as FastifyInstance;
}

/**
 * The composition root of `vigil server`: opens the config DB and ClickHouse, runs migrations,
 * bootstraps the default project, and serves the API (:8080), OTLP/HTTP (:4318) and OTLP/gRPC
 * (:4317). Shutdown runs in the reverse order: stop accepting, flush, close storage.
 */
export async function startServer(
  config: ServerConfig,
  opts: {
    logger?: PinoLogger;
    /** A web UI build other than apps/web/dist (tests). */ webDistDir?: string;
  } = {},
): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const log = logger as unknown as Logger;
  mkdirSync(config.dataDir, { recursive: true });
  const dataDir = path.resolve(config.dataDir);

  const closers: Array<() => Promise<void>> = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (e) {
        logger.error({ err: e }, 'error during shutdown');
      }
    }
  };

  try {
    const configDb: ConfigDb = await openConfigDb({
      dataDir,
      ...(config.pgUrl ? { pgUrl: config.pgUrl } : {}),
      logger: log,
    });
    closers.push(() => configDb.close());
    const notifications = createNotifications({
      db: configDb,
      dataDir,
      secretKey: config.secretKey,
      logger: log.child({ component: 'notifications' }),
    });
    // Runs after the listeners have closed and before the config DB closes (closers run in reverse).
    closers.push(() => notifications.dispatcher.shutdown());
    const boot = await bootstrap(configDb, {
      dataDir,
      apiKey: config.apiKey,
      adminPassword: config.adminPassword,
    });

    const metrics = new SelfMetrics();
    const storage: TelemetryStorage = await openTelemetryStorage(config, dataDir, metrics, log);
    closers.push(() => storage.close());
    // Buffers flush after the listeners below have closed (closers run in reverse).
    closers.push(() => storage.shutdownBuffers());
    // The cache's loops query storage: they stop before the buffers flush and storage closes.
    const caches = new MetricsCaches({
      config,
      dataDir,
      storage,
      listProjects: async () => (await configDb.listProjects()).map((p) => p.id),
      metrics,
      logger: log,
    });
    closers.push(() => caches.shutdown());
    await caches.start();

    const ingestor = new OtlpIngestor((p) => storage.project(p), metrics, {
      maxFutureSkewMs: config.maxFutureSkewMs,
      bufferMaxItems: config.bufferMaxItems,
      waitMs: config.ingestWaitMs,
    });
    const metricsIngestor = new MetricsIngestor((p) => storage.project(p), metrics, {
      limits: {
        ...DEFAULT_SERIES_LIMITS,
        maxFutureSkewMs: config.maxFutureSkewMs,
        retentionMs: config.metricsTtlDays * 86_400_000,
      },
      bufferMaxItems: config.metricsBufferMaxSamples,
      waitMs: config.ingestWaitMs,
      onAccepted: (project, minMs, maxMs) => caches.noteWrite(project, minMs, maxMs),
    });
    const profilesIngestor = new ProfilesIngestor((p) => storage.project(p), metrics, {
      maxFutureSkewMs: config.maxFutureSkewMs,
      bufferMaxItems: config.bufferMaxItems,
      waitMs: config.ingestWaitMs,
    });
    const ingestAuth = new IngestAuth(configDb);
    const readAuth = new ReadAuth(configDb, config.anonymousRole);
    const otlpDeps = {
      ingestor,
      auth: ingestAuth,
      maxRequestBytes: config.maxRequestBytes,
      maxDecompressedBytes: config.maxDecompressedBytes,
      logger: log,
    };

    const metricsDeps = {
      ingestor: metricsIngestor,
      auth: ingestAuth,
      maxRequestBytes: config.maxRequestBytes,
      maxDecompressedBytes: config.maxDecompressedBytes,
      logger: log,
    };

    const api = newHttpApp(logger, 1024 * 1024);
    installJsonErrorHandler(api, log);
    // The web UI's build at `/` (or the plain home page without one), SPA fallback for the rest.
    await api.register(webUi, opts.webDistDir ? { distDir: opts.webDistDir } : {});
    await api.register(healthRoutes, { metrics, ready: () => storage.ready() });
    await api.register(authRoutes, { db: configDb, auth: readAuth, sessionTtlMs: config.sessionTtlMs });
    await api.register(telemetryRoutes, {
      auth: readAuth,
      telemetry: (p) => storage.project(p),
      defaultProject: DEFAULT_PROJECT_ID,
    });
    await api.register(otlpHttpRoutes, otlpDeps);
    await api.register(metricsHttpRoutes, { ...metricsDeps, remoteWrite: true });
    await api.register(profilesHttpRoutes, { ...otlpDeps, ingestor: profilesIngestor });
    await api.register(profileRoutes, {
      auth: readAuth,
      telemetry: (p) => storage.project(p),
      defaultProject: DEFAULT_PROJECT_ID,
    });
    await api.register(prometheusRoutes, {
      auth: readAuth,
      metrics: async (p) => (await storage.project(p)).metricsQuery,
      defaultProject: DEFAULT_PROJECT_ID,
      maxQueryTimeoutMs: config.queryTimeoutMs,
      version: VIGIL_VERSION,
    });
    await api.register(cacheRoutes, { auth: readAuth, caches, defaultProject: DEFAULT_PROJECT_ID });
    const projectSettings = new ProjectSettings(configDb);
    const worlds = new WorldService({ caches, categories: (p) => projectSettings.categories(p) });
    const audits = new AuditService(projectSettings, async (p) => (await storage.project(p)).metricsQuery);
    await api.register(modelRoutes, { auth: readAuth, worlds, audits, defaultProject: DEFAULT_PROJECT_ID });
    const rca = new RcaService(worlds);
    await api.register(incidentRoutes, {
      auth: readAuth,
      db: configDb,
      rca,
      defaultProject: DEFAULT_PROJECT_ID,
    });
    if (config.cacheEnabled) {
      const incidentLoop = new IncidentLoop({
        db: configDb,
        caches,
        worlds,
        settings: projectSettings,
        rca,
        dispatcher: notifications.dispatcher,
        metrics: async (p) => (await storage.project(p)).metricsQuery,
        logger: log.child({ component: 'incidents' }),
        intervalMs: config.incidentIntervalMs,
        quietHistoryMs: config.incidentQuietHistoryMs,
      });
      incidentLoop.start();
      // Stops before the cache and the config DB close (closers run in reverse).
      closers.push(() => incidentLoop.shutdown());
    }
    await api.register(settingsRoutes, {
      auth: readAuth,
      settings: projectSettings,
      defaultProject: DEFAULT_PROJECT_ID,
    });
    const awsSettings = new AwsSettings(configDb, notifications.secrets);
    await api.register(instrumentationRoutes, {
      auth: readAuth,
      ingestAuth,
      settings: new InstrumentationSettings(configDb, notifications.secrets),
      aws: awsSettings,
      worlds: config.cacheEnabled ? worlds : undefined,
      defaultProject: DEFAULT_PROJECT_ID,
    });
    await api.register(awsIntegrationRoutes, {
      auth: readAuth,
      settings: awsSettings,
      defaultProject: DEFAULT_PROJECT_ID,
    });
    await api.register(notificationRoutes, {
      auth: readAuth,
      integrations: notifications.integrations,
      dispatcher: notifications.dispatcher,
    });
    await api.register(projectRoutes, {
      db: configDb,
      auth: readAuth,
      ingestAuth,
      defaultProject: DEFAULT_PROJECT_ID,
    });
    await api.register(userRoutes, { db: configDb, auth: readAuth });
    await api.register(statusRoutes, {
      auth: readAuth,
      db: configDb,
      kinds: {
        configDb: config.pgUrl ? 'postgres' : 'sqlite',
        telemetry: config.clickhouseUrl ? 'clickhouse' : 'chdb',
        metrics: config.prometheusUrl ? 'prometheus' : 'embedded',
        clickhouseUrl: config.clickhouseUrl,
        prometheusUrl: config.prometheusUrl,
      },
      ready: () => storage.ready(),
      metricsQuery: async (p) => (await storage.project(p)).metricsQuery,
      caches,
      defaultProject: DEFAULT_PROJECT_ID,
    });
    const apiPort = await listen(api, config.listen);
    closers.push(() => api.close());

    const otlpHttp = newHttpApp(logger, config.maxRequestBytes);
    installJsonErrorHandler(otlpHttp, log);
    await otlpHttp.register(otlpHttpRoutes, otlpDeps);
    await otlpHttp.register(metricsHttpRoutes, { ...metricsDeps, remoteWrite: false });
    const otlpHttpPort = await listen(otlpHttp, config.otlpHttpListen);
    closers.push(() => otlpHttp.close());

    const grpc = new OtlpGrpcServer({
      ingestor,
      metricsIngestor,
      auth: ingestAuth,
      maxDecompressedBytes: config.maxDecompressedBytes,
      logger: log,
    });
    const grpcPort = await grpc.listen(config.otlpGrpcListen);
    closers.push(() => grpc.shutdown());

    logger.info(
      {
        api: formatListenAddress({ ...config.listen, port: apiPort }),
        otlpHttp: formatListenAddress({ ...config.otlpHttpListen, port: otlpHttpPort }),
        otlpGrpc: formatListenAddress({ ...config.otlpGrpcListen, port: grpcPort }),
        storage: config.clickhouseUrl ? 'clickhouse' : 'embedded chDB',
        configDb: config.pgUrl ? 'postgres' : 'sqlite',
        dataDir,
      },
      'vigil server started',
    );

    let stopping: Promise<void> | undefined;
    return {
      config,
      bootstrap: boot,
      ports: { api: apiPort, otlpHttp: otlpHttpPort, otlpGrpc: grpcPort },
      logger,
      forceFlush: () => storage.forceFlush(),
      shutdown: () => {
        stopping ??= (async () => {
          logger.info('shutting down: closing listeners, then flushing accepted records');
          await closeAll();
          logger.info('shutdown complete');
        })();
        return stopping;
      },
    };
  } catch (e) {
    await closeAll();
    throw e;
  }
}

/**
 * The metrics caches of all projects: one {@link MetricsCache} (database `<project db>_cache` in
 * the embedded engine, one refresh loop) per project of the config DB, started with the server
 * and picked up within a minute when a project is created. Stopped by the composition root
 * before telemetry storage closes.
 */
import { AppError, errorMessage, type Logger } from '@vigil/core';
import type { ServerConfig } from '../config/index.ts';
import type { SelfMetrics } from '../observability/self-metrics.ts';
import { baseDatabase, projectDatabase, type TelemetryStorage } from '../storage-wiring.ts';
import { CacheStore } from './cache-store.ts';
import { defaultQueryRegistry } from './default-queries.ts';
import { SharedSelectEvaluator, type CacheEvaluator } from './evaluator.ts';
import { MetricsCache } from './metrics-cache.ts';
import type { QueryRegistry } from './query-registry.ts';
import { Refresher } from './refresher.ts';

export interface MetricsCachesDeps {
  readonly config: ServerConfig;
  readonly dataDir: string;
  readonly storage: TelemetryStorage;
  /** Ids of the projects to cache (the config DB's projects). */
  readonly listProjects: () => Promise<string[]>;
  readonly metrics: SelfMetrics;
  readonly logger: Logger;
  /** Shared by every project; default: {@link defaultQueryRegistry}. */
  readonly registry?: QueryRegistry;
}

const SYNC_PROJECTS_MS = 60_000;

export class MetricsCaches {
  readonly registry: QueryRegistry;
  readonly #deps: MetricsCachesDeps;
  readonly #caches = new Map<string, Promise<MetricsCache>>();
  /** The caches that have started, for synchronous readers (self-metrics). */
  readonly #ready = new Map<string, MetricsCache>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(deps: MetricsCachesDeps) {
    this.#deps = deps;
    this.registry = deps.registry ?? defaultQueryRegistry();
    deps.metrics.watchCacheLag(() => this.#lagSamples());
  }

  get enabled(): boolean {
    return this.#deps.config.cacheEnabled;
  }

  /** Opens and starts the cache of every project; re-checks the project list every minute. */
  async start(): Promise<void> {
    if (!this.enabled) return;
    await this.#sync();
    this.#timer = setInterval(() => {
      this.#sync().catch((err: unknown) =>
        this.#deps.logger.warn({ err: errorMessage(err) }, 'metrics cache: project sync failed'),
      );
    }, SYNC_PROJECTS_MS);
    this.#timer.unref();
  }

  /** The cache of a project, opened on first use. */
  project(projectId: string): Promise<MetricsCache> {
    if (!this.enabled) throw new AppError('not_found', 'the metrics cache is disabled (VIGIL_CACHE_ENABLED)');
    if (this.#stopped) throw new AppError('unavailable', 'the metrics cache is stopping');
    let cache = this.#caches.get(projectId);
    if (!cache) {
      cache = this.#open(projectId);
      cache.catch(() => this.#caches.delete(projectId));
      this.#caches.set(projectId, cache);
    }
    return cache;
  }

  /** The cache of an existing project (`not_found` for an unknown id): what the API uses. */
  async existing(projectId: string): Promise<MetricsCache> {
    if (!this.#caches.has(projectId) && !(await this.#deps.listProjects()).includes(projectId)) {
      throw new AppError('not_found', `no project "${projectId}"`);
    }
    return this.project(projectId);
  }

  /** Samples of `projectId` in [minMs, maxMs] were accepted (see MetricsCache.noteWrite). */
  noteWrite(projectId: string, minMs: number, maxMs: number): void {
    this.#ready.get(projectId)?.noteWrite(minMs, maxMs);
  }

  /** Stops every refresh loop and closes the cache databases. */
  async shutdown(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    const all = await Promise.all([...this.#caches.values()].map((c) => c.catch(() => undefined)));
    this.#caches.clear();
    this.#ready.clear();
    await Promise.all(all.map((c) => c?.shutdown()));
  }

  async #sync(): Promise<void> {
    for (const id of await this.#deps.listProjects()) {
      if (this.#stopped) return;
      await this.project(id).catch((err: unknown) =>
        this.#deps.logger.warn({ projectId: id, err: errorMessage(err) }, 'metrics cache: could not open'),
      );
    }
  }

  async #open(projectId: string): Promise<MetricsCache> {
    const { config, storage, metrics } = this.#deps;
    const logger = this.#deps.logger.child({ component: 'metrics-cache', projectId });
    const telemetry = await storage.project(projectId);
    const store = await CacheStore.open({
      dataDir: this.#deps.dataDir,
      database: `${projectDatabase(baseDatabase(config), projectId)}_cache`,
      ttlDays: config.cacheTtlDays,
      logger,
    });
    // External backend: its own HTTP API. Embedded store: the same engine with shared reads.
    const evaluator: CacheEvaluator = config.prometheusUrl
      ? telemetry.metricsQuery
      : new SharedSelectEvaluator(telemetry.metrics, { timeoutMs: config.queryTimeoutMs });
    const refresher = new Refresher({
      projectId,
      registry: this.registry,
      store,
      evaluator,
      backfillMs: config.cacheBackfillMs,
      stepMs: config.cacheStepMs,
      refreshMs: config.cacheRefreshMs,
      logger,
      onRefresh: (durationMs) => metrics.cacheRefreshed(projectId, durationMs),
    });
    const cache = new MetricsCache(projectId, this.registry, store, refresher, config.cacheBackfillMs);
    try {
      await cache.start();
    } catch (err) {
      await store.close();
      throw err;
    }
    if (this.#stopped) await cache.shutdown();
    else this.#ready.set(projectId, cache);
    return cache;
  }

  /** Lags of the caches that are open (the self-metrics scrape is synchronous). */
  *#lagSamples(): Iterable<{ project: string; query: string; lagSeconds: number }> {
    for (const [project, cache] of this.#ready) {
      for (const l of cache.lags()) {
        if (l.lagMs !== undefined) yield { project, query: l.id, lagSeconds: l.lagMs / 1000 };
      }
    }
  }
}

/**
 * `GET /api/v1/status[?project=]` (Viewer): whether the server's backends answer, and how far
 * the metrics cache lags, from what the server already has (the config DB, the storage's
 * readiness check behind `/ready`, the metrics query service, the cache's status):
 * `{ configDb, telemetry, metrics: { kind, target?, ok, latencyMs, error? }, cache }`.
 * Targets are shown as host:port only: a URL may carry credentials.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { errorMessage } from '@vigil/core';
import type { ReadAuth } from '../auth/read-auth.ts';
import type { ConfigDb } from '../configdb/index.ts';
import type { MetricsCaches } from '../metrics-cache/metrics-caches.ts';
import type { MetricsQueryService } from '../metrics/query-service.ts';
import { parseOrBadRequest } from '../model/project-settings.ts';

/** How each backend is reached, from the server configuration. */
export interface BackendKinds {
  readonly configDb: 'sqlite' | 'postgres';
  readonly telemetry: 'chdb' | 'clickhouse';
  /** `embedded`: the metric store in the telemetry database; `prometheus`: VIGIL_PROMETHEUS_URL. */
  readonly metrics: 'embedded' | 'prometheus';
  readonly clickhouseUrl?: string | undefined;
  readonly prometheusUrl?: string | undefined;
}

/** Dependencies of {@link statusRoutes}. */
export interface StatusRouteDeps {
  readonly auth: ReadAuth;
  readonly db: ConfigDb;
  readonly kinds: BackendKinds;
  /** The storage readiness check of `/ready`: rejects with the reason. */
  readonly ready: () => Promise<void>;
  readonly metricsQuery: (project: string) => Promise<MetricsQueryService>;
  readonly caches: MetricsCaches;
  readonly defaultProject: string;
  /** Per check; a backend slower than this counts as down. Default 5 s. */
  readonly timeoutMs?: number;
}

/** One backend's answer. */
export interface BackendStatus {
  readonly kind: string;
  readonly target?: string;
  readonly ok: boolean;
  readonly latencyMs: number;
  readonly error?: string;
}

const query = z.object({ project: z.string().min(1).max(64).optional() });

/** Registers `GET /api/v1/status`. */
export async function statusRoutes(app: FastifyInstance, deps: StatusRouteDeps): Promise<void> {
  const timeoutMs = deps.timeoutMs ?? 5000;
  app.get('/api/v1/status', async (req) => {
    const q = parseOrBadRequest(query, req.query, 'query');
    const project = await deps.auth.readableProject(req.headers, q.project, deps.defaultProject);
    const { kinds } = deps;
    const [configDb, telemetry, metrics, cache] = await Promise.all([
      probe(kinds.configDb, undefined, timeoutMs, async () => {
        await deps.db.getProject(project);
      }),
      probe(kinds.telemetry, hostOf(kinds.clickhouseUrl), timeoutMs, deps.ready),
      probe(kinds.metrics, hostOf(kinds.prometheusUrl), timeoutMs, async () => {
        const service = await deps.metricsQuery(project);
        await service.instantQuery('vector(1)', Date.now(), { signal: AbortSignal.timeout(timeoutMs) });
      }),
      cacheStatus(deps.caches, project),
    ]);
    return { project, configDb, telemetry, metrics, cache };
  });
}

async function probe(
  kind: string,
  target: string | undefined,
  timeoutMs: number,
  check: () => Promise<void>,
): Promise<BackendStatus> {
  const startMs = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  const base = { kind, ...(target === undefined ? {} : { target }) };
  try {
    await Promise.race([check(), timeout]);
    return { ...base, ok: true, latencyMs: Math.round(performance.now() - startMs) };
  } catch (err) {
    // Backend errors can be long (a response body); the first line is what the page shows.
    const error = errorMessage(err).split('\n')[0]?.slice(0, 300) ?? 'failed';
    return { ...base, ok: false, latencyMs: Math.round(performance.now() - startMs), error };
  } finally {
    clearTimeout(timer);
  }
}

/** host:port of a URL, never its user info, path or query. */
function hostOf(url: string | undefined): string | undefined {
  if (url === undefined || url === '') return undefined;
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

async function cacheStatus(caches: MetricsCaches, project: string) {
  if (!caches.enabled) return { enabled: false as const };
  try {
    const status = await (await caches.existing(project)).status();
    const lags = status.queries.map((q) => q.lagMs).filter((l): l is number => l !== null);
    return {
      enabled: true as const,
      stepMs: status.stepMs,
      refreshMs: status.refreshMs,
      /** The worst lag over the cached queries; null before the first refresh. */
      maxLagMs: lags.length === 0 ? null : Math.max(...lags),
      lastRefresh: status.lastRefresh,
      backfillPending: status.backfillPending,
      queries: status.queries.length,
      failingQueries: status.queries
        .filter((q) => q.lastError !== null)
        .map((q) => ({ id: q.id, error: q.lastError, atMs: q.lastErrorAtMs })),
    };
  } catch (err) {
    return { enabled: true as const, error: errorMessage(err) };
  }
}

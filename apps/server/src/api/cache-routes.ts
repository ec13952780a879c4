import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '@vigil/core';
import { toPrometheusData } from '@vigil/promql';
import type { ReadAuth } from '../auth/read-auth.ts';
import type { MetricsCaches } from '../metrics-cache/metrics-caches.ts';

export interface CacheRouteDeps {
  auth: ReadAuth;
  caches: MetricsCaches;
  defaultProject: string;
}

const ms = z.coerce.number().int().nonnegative();
const statusQuery = z.object({ project: z.string().min(1).max(64).optional() });
const rangeQuery = statusQuery.extend({
  query: z.string().min(1).max(200),
  from: ms,
  to: ms,
  step: ms.positive(),
});

function parse<T>(schema: z.ZodType<T>, raw: unknown): T {
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new AppError(
      'bad_request',
      `invalid query: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`,
    );
  }
  return r.data;
}

/**
 * The metrics cache's API (read-authenticated like the other JSON API routes):
 * - `GET /api/v1/cache/status`: per registry query its lag, last error, chunks and points.
 * - `GET /api/v1/cache/query_range?query=<id>&from=&to=&step=` (Unix ms): the cached answer in
 *   the `data` shape of Prometheus's query_range (seconds, string values) and the evaluation
 *   times not cached as `missing: [{fromMs, toMs}]`. Never asks the metrics backend.
 */
export async function cacheRoutes(app: FastifyInstance, deps: CacheRouteDeps): Promise<void> {
  const cacheFor = async (req: FastifyRequest, requested: string | undefined) => {
    const project = await deps.auth.readableProject(req.headers, requested, deps.defaultProject);
    return deps.caches.existing(project);
  };

  app.get('/api/v1/cache/status', async (req) => {
    const q = parse(statusQuery, req.query);
    return (await cacheFor(req, q.project)).status();
  });

  app.get('/api/v1/cache/query_range', async (req) => {
    const q = parse(rangeQuery, req.query);
    const cache = await cacheFor(req, q.project);
    const read = await cache.read(q.query, q.from, q.to, q.step);
    return {
      data: toPrometheusData(read.result),
      missing: read.missing.map((m) => ({ fromMs: m.startMs, toMs: m.endMs })),
    };
  });
}

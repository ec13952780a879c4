import type { FastifyInstance } from 'fastify';
import type { SelfMetrics } from '../observability/self-metrics.ts';

export interface HealthDeps {
  metrics: SelfMetrics;
  /** Resolves when storage answers and migrations have run; rejects with the reason otherwise. */
  ready(): Promise<void>;
}

/** Liveness, readiness and the server's own Prometheus metrics. */
export async function healthRoutes(app: FastifyInstance, deps: HealthDeps): Promise<void> {
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_req, reply) => {
    try {
      await deps.ready();
      return { status: 'ready' };
    } catch (e) {
      return reply.code(503).send({ status: 'not ready', reason: (e as Error).message });
    }
  });
  app.get('/metrics', async (_req, reply) => {
    const { contentType, body } = await deps.metrics.exposition();
    return reply.type(contentType).send(body);
  });
}

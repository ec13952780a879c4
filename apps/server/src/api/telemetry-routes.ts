import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '@vigil/core';
import type { ReadAuth } from '../auth/read-auth.ts';
import type { TelemetryLookup } from '../ingest/otlp-ingestor.ts';
import { logPatternRoutes } from './log-pattern-routes.ts';
import {
  defaultStepMs,
  parseLogQuery,
  parseServicesQuery,
  parseTraceQuery,
  type RawQuery,
} from './query-params.ts';

export interface TelemetryRouteDeps {
  auth: ReadAuth;
  telemetry: TelemetryLookup;
  defaultProject: string;
}

/**
 * Vigil's JSON query API for traces, logs and services. Every filter reaches ClickHouse as a
 * bound query parameter (the stores use the `sql` tag); nothing here builds SQL.
 */
export async function telemetryRoutes(app: FastifyInstance, deps: TelemetryRouteDeps): Promise<void> {
  /** Authenticates the reader and picks the project it may read. */
  const projectFor = async (req: FastifyRequest, requested: string | undefined) => {
    const project = await deps.auth.readableProject(req.headers, requested, deps.defaultProject);
    return deps.telemetry(project);
  };

  app.get('/api/v1/traces', async (req) => {
    const q = parseTraceQuery(req.query as RawQuery);
    const t = await projectFor(req, q.project);
    return { traces: await t.traces.search(q) };
  });

  app.get<{ Params: { traceId: string } }>('/api/v1/traces/:traceId', async (req) => {
    const id = req.params.traceId;
    if (!/^[0-9a-fA-F]{32}$/.test(id)) {
      throw new AppError('bad_request', `invalid trace id "${id}": expected 32 hex characters`);
    }
    const t = await projectFor(req, (req.query as RawQuery).project as string | undefined);
    const trace = await t.traces.getTrace(id.toLowerCase());
    if (!trace) throw new AppError('not_found', `trace ${id} not found`);
    return trace;
  });

  app.get('/api/v1/logs', async (req) => {
    const q = parseLogQuery(req.query as RawQuery);
    if (q.stepMs !== undefined)
      throw new AppError('bad_request', 'invalid query: step applies to /api/v1/logs/histogram');
    const t = await projectFor(req, q.project);
    return { logs: await t.logs.search(q) };
  });

  app.get('/api/v1/logs/histogram', async (req) => {
    const q = parseLogQuery(req.query as RawQuery);
    const t = await projectFor(req, q.project);
    return t.logs.histogram(q, q.stepMs ?? defaultStepMs(q.fromMs, q.toMs));
  });

  await logPatternRoutes(app, deps);

  app.get('/api/v1/services', async (req) => {
    const q = parseServicesQuery(req.query as RawQuery);
    const t = await projectFor(req, q.project);
    return { services: await t.listServices(q.fromMs, q.toMs) };
  });
}

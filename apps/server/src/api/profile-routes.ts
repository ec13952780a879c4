/**
 * Vigil's JSON API for profiles: the profile types of a service, and its flame graph over a
 * window, or the diff flame graph of that window against a base window.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DiffFlameGraphResponse, FlameGraphResponse, ProfileTypesResponse } from '@vigil/spec';
import type { ReadAuth } from '../auth/read-auth.ts';
import type { TelemetryLookup } from '../ingest/otlp-ingestor.ts';
import { parseFlameGraphQuery, parseProfileTypesQuery } from './profile-query-params.ts';
import type { RawQuery } from './query-params.ts';

export interface ProfileRouteDeps {
  auth: ReadAuth;
  telemetry: TelemetryLookup;
  defaultProject: string;
}

export async function profileRoutes(app: FastifyInstance, deps: ProfileRouteDeps): Promise<void> {
  /** Authenticates the reader and picks the project it may read. */
  const projectFor = async (req: FastifyRequest, requested: string | undefined) => {
    const project = await deps.auth.readableProject(req.headers, requested, deps.defaultProject);
    return deps.telemetry(project);
  };

  app.get('/api/v1/profiles/types', async (req): Promise<ProfileTypesResponse> => {
    const q = parseProfileTypesQuery(req.query as RawQuery);
    const t = await projectFor(req, q.project);
    return { types: await t.profiles.types(q.service, q.fromMs, q.toMs) };
  });

  app.get(
    '/api/v1/profiles/flamegraph',
    async (req): Promise<FlameGraphResponse | DiffFlameGraphResponse> => {
      const q = parseFlameGraphQuery(req.query as RawQuery);
      const t = await projectFor(req, q.project);
      const window = { service: q.service, type: q.type, fromMs: q.fromMs, toMs: q.toMs };
      if (q.base === undefined) return { ...window, ...(await t.profiles.flameGraph(window)) };
      const base = { baseFromMs: q.base.fromMs, baseToMs: q.base.toMs };
      return { ...window, ...base, ...(await t.profiles.diffFlameGraph({ ...window, ...base })) };
    },
  );
}

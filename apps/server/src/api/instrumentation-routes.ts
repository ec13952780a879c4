/**
 * Database instrumentation for the cluster agent:
 * - `GET /v1/config` (the project's API key in `X-API-Key`): `{ application_instrumentation:
 *   [{ type, host, port, credentials: { username, password }, params, instance }], aws_config }`
 *   — the database instances on the service map of the last ten minutes, and the project's AWS
 *   integration (`{ region, access_key_id, secret_access_key, rds_tag_filters,
 *   elasticache_tag_filters }` or null) (Coroot's contract, so Coroot's cluster agent can read it)
 * - `GET|PUT /api/v1/apps/<appId>/instrumentation` (Viewer / Editor): `{ type?, port?,
 *   credentials?: { username?, password? }, params?, disabled? }`; the password is stored sealed
 *   and never shown again (`passwordSet`); left out of a PUT it stays as it was, `""` clears it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '@vigil/core';
import type { IngestAuth } from '../auth/ingest-auth.ts';
import type { ReadAuth } from '../auth/read-auth.ts';
import type { Role } from '../configdb/index.ts';
import type { AgentAwsConfig, AwsSettings } from '../instrumentation/aws-settings.ts';
import { databaseTargets } from '../instrumentation/database-targets.ts';
import type { InstrumentationSettings } from '../instrumentation/instrumentation-settings.ts';
import { parseOrBadRequest } from '../model/project-settings.ts';
import type { WorldService } from '../model/world-service.ts';

/** How far back the service map is read for database instances. */
const LOOKBACK_MS = 10 * 60_000;

export interface InstrumentationRouteDeps {
  readonly auth: ReadAuth;
  readonly ingestAuth: IngestAuth;
  readonly settings: InstrumentationSettings;
  /** The AWS integration for `aws_config`; undefined: always null. */
  readonly aws?: AwsSettings;
  /** Undefined when the metrics cache (and so the model) is off: the list is then empty. */
  readonly worlds: WorldService | undefined;
  readonly defaultProject: string;
  readonly clock?: () => number;
}

const projectQuery = z.object({ project: z.string().min(1).max(64).optional() });

export async function instrumentationRoutes(
  app: FastifyInstance,
  deps: InstrumentationRouteDeps,
): Promise<void> {
  const clock = deps.clock ?? Date.now;
  const projectFor = async (req: FastifyRequest, role: Role): Promise<string> => {
    const q = parseOrBadRequest(projectQuery, req.query, 'query');
    const principal = await deps.auth.require(req.headers, role);
    const project = q.project ?? principal.projectId ?? deps.defaultProject;
    if (principal.projectId !== undefined && principal.projectId !== project)
      throw new AppError('forbidden', `this token may only access project "${principal.projectId}"`);
    return project;
  };

  app.get('/v1/config', async (req) => {
    const key = req.headers['x-api-key'];
    const project = await deps.ingestAuth.projectFor(Array.isArray(key) ? key[0] : key);
    let awsConfig: AgentAwsConfig | null = null;
    try {
      awsConfig = (await deps.aws?.forAgent(project)) ?? null;
    } catch (err) {
      // A secret sealed with another server key: the databases must still reach the agent.
      req.log.warn({ err: (err as Error).message, project }, 'AWS integration left out of /v1/config');
    }
    if (!deps.worlds) return { application_instrumentation: [], aws_config: awsConfig };
    const now = clock();
    const world = await deps.worlds.world(project, now - LOOKBACK_MS, now);
    return {
      application_instrumentation: databaseTargets(world, await deps.settings.all(project)),
      aws_config: awsConfig,
    };
  });

  app.get<{ Params: { appId: string } }>('/api/v1/apps/:appId/instrumentation', async (req) => {
    const project = await projectFor(req, 'Viewer');
    const saved = await deps.settings.view(project, req.params.appId);
    return saved ?? { credentials: { passwordSet: false }, params: {}, disabled: false };
  });
  app.put<{ Params: { appId: string } }>('/api/v1/apps/:appId/instrumentation', async (req) => {
    const project = await projectFor(req, 'Editor');
    return deps.settings.set(project, req.params.appId, req.body);
  });
}

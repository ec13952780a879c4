/**
 * Projects and their ingestion API keys (Admin; reading the project list needs Viewer, since
 * the UI offers it as a picker):
 * - `GET /api/v1/projects` → `{ projects: [{ id, name, createdAt }] }`
 * - `POST /api/v1/projects` `{ id, name }` → 201 project; 409 when the id is taken
 * - `DELETE /api/v1/projects/:id` → 204; the default project is refused (it is recreated at
 *   every start and is where unscoped requests go)
 * - `GET /api/v1/projects/:project/api-keys` → `{ keys: [{ id, projectId, prefix, description,
 *   createdAt }] }` — never the key
 * - `POST /api/v1/projects/:project/api-keys` `{ description }` → 201 with `key`, the only time
 *   the key is shown
 * - `DELETE /api/v1/projects/:project/api-keys/:id` → 204: the key stops authenticating
 *   ingestion (within the ingest auth cache's 10 s)
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '@vigil/core';
import type { IngestAuth } from '../auth/ingest-auth.ts';
import type { ReadAuth } from '../auth/read-auth.ts';
import type { ConfigDb } from '../configdb/index.ts';
import { parseOrBadRequest } from '../model/project-settings.ts';
import { requireGlobalAdmin, requireProjectAdmin } from './admin-auth.ts';

/** Dependencies of {@link projectRoutes}. */
export interface ProjectRouteDeps {
  readonly db: ConfigDb;
  readonly auth: ReadAuth;
  /** Told when keys stop being valid, so ingestion refuses them at once. */
  readonly ingestAuth?: Pick<IngestAuth, 'forgetProject'>;
  readonly defaultProject: string;
}

const projectBody = z.object(
  {
    id: z.string({ error: 'id is required' }),
    name: z.string({ error: 'name is required' }),
  },
  { error: 'the body must be a JSON object with id and name' },
);

// A client-chosen key is not offered: keys are generated, so they are never weak or reused.
const keyBody = z.strictObject(
  {
    description: z
      .string({ error: 'description must be a string' })
      .trim()
      .min(1, { error: 'description must not be empty: say where the key is used' })
      .max(256, { error: 'description must be at most 256 characters' }),
  },
  { error: 'the body must be a JSON object with a description' },
);

interface ProjectParams {
  project: string;
}

/** Registers the project and API key routes. */
export async function projectRoutes(app: FastifyInstance, deps: ProjectRouteDeps): Promise<void> {
  app.get('/api/v1/projects', async (req) => {
    const principal = await deps.auth.require(req.headers, 'Viewer');
    const projects = await deps.db.listProjects();
    // A token bound to a project sees only that one.
    const visible =
      principal.projectId === undefined ? projects : projects.filter((p) => p.id === principal.projectId);
    return { projects: visible };
  });

  app.post('/api/v1/projects', async (req, reply) => {
    await requireGlobalAdmin(deps.auth, req);
    const body = parseOrBadRequest(projectBody, req.body ?? {}, 'project');
    return reply.code(201).send(await deps.db.createProject(body.id, body.name));
  });

  app.delete<{ Params: { id: string } }>('/api/v1/projects/:id', async (req, reply) => {
    await requireGlobalAdmin(deps.auth, req);
    if (req.params.id === deps.defaultProject) {
      throw new AppError('conflict', `the default project "${deps.defaultProject}" cannot be deleted`);
    }
    await deps.db.deleteProject(req.params.id);
    deps.ingestAuth?.forgetProject(req.params.id);
    return reply.code(204).send();
  });

  const keys = '/api/v1/projects/:project/api-keys';

  app.get<{ Params: ProjectParams }>(keys, async (req) => {
    await requireProjectAdmin(deps.auth, req, req.params.project);
    await requireProject(deps.db, req.params.project);
    return { keys: await deps.db.listApiKeys(req.params.project) };
  });

  app.post<{ Params: ProjectParams }>(keys, async (req, reply) => {
    await requireProjectAdmin(deps.auth, req, req.params.project);
    const body = parseOrBadRequest(keyBody, req.body ?? {}, 'API key');
    const created = await deps.db.createApiKey(req.params.project, { description: body.description });
    // The plaintext leaves the server here and nowhere else; it is not logged.
    return reply.code(201).send(created);
  });

  app.delete<{ Params: ProjectParams & { id: string } }>(`${keys}/:id`, async (req, reply) => {
    await requireProjectAdmin(deps.auth, req, req.params.project);
    await deps.db.deleteApiKey(req.params.project, req.params.id);
    deps.ingestAuth?.forgetProject(req.params.project);
    return reply.code(204).send();
  });
}

async function requireProject(db: ConfigDb, project: string): Promise<void> {
  if ((await db.getProject(project)) === null) {
    throw new AppError('not_found', `project "${project}" does not exist`);
  }
}

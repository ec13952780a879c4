import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '@vigil/core';
import type { ReadAuth } from '../auth/read-auth.ts';
import type { Role } from '../configdb/index.ts';
import type { IntegrationService, NotificationDispatcher } from '../notifications/index.ts';
import { INTEGRATIONS } from '../notifications/index.ts';

/** Dependencies of {@link notificationRoutes}; see `createNotifications`. */
export interface NotificationRouteDeps {
  auth: ReadAuth;
  integrations: IntegrationService;
  dispatcher: NotificationDispatcher;
}

interface ProjectParams {
  project: string;
}
interface TypeParams extends ProjectParams {
  type: string;
}

/**
 * Notification integrations of a project. Reading needs Viewer, changing and testing Editor; a
 * token bound to a project reaches only that project. Secrets are never returned, only masked
 * (`••••abcd`); a PUT that omits a secret or sends the mask back keeps the stored one.
 * - `GET  /api/v1/projects/:project/integrations` → `{ integrations, types }`
 * - `GET  /api/v1/projects/:project/integrations/:type`
 * - `PUT  /api/v1/projects/:project/integrations/:type` `{ enabled?, incidents?, deployments?, config? }`
 * - `DELETE /api/v1/projects/:project/integrations/:type` → 204
 * - `POST /api/v1/projects/:project/integrations/:type/test` → 200 `{ ok, attempts }`, or 502
 *   with the receiver's answer when the test notification was refused.
 */
export async function notificationRoutes(app: FastifyInstance, deps: NotificationRouteDeps): Promise<void> {
  const authorize = async (req: FastifyRequest, project: string, role: Role): Promise<void> => {
    const principal = await deps.auth.require(req.headers, role);
    if (principal.projectId !== undefined && principal.projectId !== project) {
      throw new AppError('forbidden', `this token may only access project "${principal.projectId}"`);
    }
  };
  const base = '/api/v1/projects/:project/integrations';

  app.get<{ Params: ProjectParams }>(base, async (req) => {
    await authorize(req, req.params.project, 'Viewer');
    return {
      integrations: await deps.integrations.list(req.params.project),
      types: [...INTEGRATIONS.keys()],
    };
  });

  app.get<{ Params: TypeParams }>(`${base}/:type`, async (req) => {
    await authorize(req, req.params.project, 'Viewer');
    return deps.integrations.get(req.params.project, req.params.type);
  });

  app.put<{ Params: TypeParams }>(`${base}/:type`, async (req) => {
    await authorize(req, req.params.project, 'Editor');
    return deps.integrations.put(req.params.project, req.params.type, req.body);
  });

  app.delete<{ Params: TypeParams }>(`${base}/:type`, async (req, reply) => {
    await authorize(req, req.params.project, 'Editor');
    await deps.integrations.delete(req.params.project, req.params.type);
    return reply.code(204).send();
  });

  app.post<{ Params: TypeParams }>(`${base}/:type/test`, async (req, reply) => {
    await authorize(req, req.params.project, 'Editor');
    const result = await deps.dispatcher.sendTest(req.params.project, req.params.type);
    if (result.ok) return { ok: true, attempts: result.attempts };
    // The receiver, not Vigil, refused: a gateway error carrying what the receiver said.
    return reply.code(502).send({ error: { code: 'delivery_failed', message: result.error } });
  });
}

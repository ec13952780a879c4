/**
 * The project's AWS integration (Editor; `?project=` as the instrumentation routes):
 * - `GET /api/v1/integrations/aws` → `{ configured, region?, accessKeyId?, secretAccessKeySet,
 *   rdsTagFilters, elasticacheTagFilters }` — never the secret;
 * - `PUT /api/v1/integrations/aws` `{ region, accessKeyId, secretAccessKey?, rdsTagFilters?,
 *   elasticacheTagFilters? }` — the secret may be left out to keep the saved one;
 * - `DELETE /api/v1/integrations/aws` → 204: the cluster agent stops discovering.
 * The cluster agent receives it as `aws_config` in `/v1/config` (instrumentation-routes.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '@vigil/core';
import type { ReadAuth } from '../auth/read-auth.ts';
import type { AwsSettings } from '../instrumentation/aws-settings.ts';
import { parseOrBadRequest } from '../model/project-settings.ts';

export interface AwsIntegrationRouteDeps {
  readonly auth: ReadAuth;
  readonly settings: AwsSettings;
  readonly defaultProject: string;
}

const projectQuery = z.object({ project: z.string().min(1).max(64).optional() });
const PATH = '/api/v1/integrations/aws';

export async function awsIntegrationRoutes(
  app: FastifyInstance,
  deps: AwsIntegrationRouteDeps,
): Promise<void> {
  // Reading needs Editor too: the key ID names the AWS account, which Viewers need not know.
  const projectFor = async (req: FastifyRequest): Promise<string> => {
    const q = parseOrBadRequest(projectQuery, req.query, 'query');
    const principal = await deps.auth.require(req.headers, 'Editor');
    const project = q.project ?? principal.projectId ?? deps.defaultProject;
    if (principal.projectId !== undefined && principal.projectId !== project)
      throw new AppError('forbidden', `this token may only access project "${principal.projectId}"`);
    return project;
  };

  app.get(PATH, async (req) => deps.settings.view(await projectFor(req)));
  app.put(PATH, async (req) => deps.settings.set(await projectFor(req), req.body));
  app.delete(PATH, async (req, reply) => {
    await deps.settings.clear(await projectFor(req));
    return reply.code(204).send();
  });
}

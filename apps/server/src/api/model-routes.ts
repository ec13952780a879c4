/**
 * The model's API for the UI (read-authenticated like the other JSON API routes); every route
 * takes `from`/`to` in Unix milliseconds (default: the last hour) and `project`:
 * - `GET /api/v1/overview/applications`: one row per application, one status per report
 *   (`?external=1` includes applications seen only as destinations)
 * - `GET /api/v1/overview/map`: the service map, nodes with health and edges with traffic
 * - `GET /api/v1/overview/nodes`: one row per node
 * - `GET /api/v1/apps/<appId>` (the id URL-encoded): reports with checks and charts, instances,
 *   upstreams and downstreams, deployments
 * - `GET /api/v1/nodes/<name>`: a node with its charts and containers
 * - `GET /api/v1/deployments`: rollouts of every application in the range
 * Each answer is typed with its shape in @vigil/spec (model-api.ts), which the web UI reads too.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '@vigil/core';
import type {
  ApplicationsOverview,
  ApplicationView,
  DeploymentsResponse,
  NodesOverview,
  NodeView,
  ServiceMapResponse,
} from '@vigil/spec';
import type { ReadAuth } from '../auth/read-auth.ts';
import type { AuditService } from '../model/audit-service.ts';
import { parseOrBadRequest } from '../model/project-settings.ts';
import { applicationRow, applicationView, mapView, nodeRow, nodeView } from '../model/views.ts';
import type { WorldService } from '../model/world-service.ts';

export interface ModelRouteDeps {
  readonly auth: ReadAuth;
  readonly worlds: WorldService;
  readonly audits: AuditService;
  readonly defaultProject: string;
  readonly clock?: () => number;
}

const HOUR_MS = 3_600_000;
const ms = z.coerce.number({ error: 'must be Unix milliseconds' }).int().nonnegative();
export const rangeQuery = z.object({
  project: z.string().min(1).max(64).optional(),
  from: ms.optional(),
  to: ms.optional(),
  external: z.enum(['0', '1', 'true', 'false']).optional(),
});

export async function modelRoutes(app: FastifyInstance, deps: ModelRouteDeps): Promise<void> {
  const clock = deps.clock ?? Date.now;
  const context = async (req: FastifyRequest) => {
    const q = parseOrBadRequest(rangeQuery, req.query, 'query');
    const project = await deps.auth.readableProject(req.headers, q.project, deps.defaultProject);
    const to = q.to ?? clock();
    const from = q.from ?? to - HOUR_MS;
    const world = await deps.worlds.world(project, from, to);
    return { q, project, world, audits: await deps.audits.all(project, world) };
  };

  app.get('/api/v1/overview/applications', async (req): Promise<ApplicationsOverview> => {
    const { q, world, audits } = await context(req);
    const external = q.external === '1' || q.external === 'true';
    return {
      grid: world.grid,
      incomplete: world.incomplete,
      applications: [...audits.values()]
        .filter((a) => external || a.app.kind !== 'external')
        .map(applicationRow),
    };
  });

  app.get('/api/v1/overview/map', async (req): Promise<ServiceMapResponse> => {
    const { world, audits } = await context(req);
    return mapView(world, audits);
  });

  app.get('/api/v1/overview/nodes', async (req): Promise<NodesOverview> => {
    const { world } = await context(req);
    return { grid: world.grid, nodes: world.nodes.map(nodeRow) };
  });

  app.get<{ Params: { appId: string } }>('/api/v1/apps/:appId', async (req): Promise<ApplicationView> => {
    const { world, audits } = await context(req);
    const audit = audits.get(req.params.appId);
    if (!audit) throw new AppError('not_found', `no application "${req.params.appId}" in this range`);
    return applicationView(world, audit);
  });

  app.get<{ Params: { name: string } }>('/api/v1/nodes/:name', async (req): Promise<NodeView> => {
    const { world } = await context(req);
    const node = world.nodes.find((n) => n.name === req.params.name || n.hostname === req.params.name);
    if (!node) throw new AppError('not_found', `no node "${req.params.name}" in this range`);
    return nodeView(world, node, world.applications);
  });

  app.get('/api/v1/deployments', async (req): Promise<DeploymentsResponse> => {
    const { audits } = await context(req);
    const deployments = [...audits.values()].flatMap((a) => a.deployments);
    deployments.sort((a, b) => b.startedAtMs - a.startedAtMs || (a.id < b.id ? -1 : 1));
    return { deployments };
  });
}

/**
 * The model's settings: inspection thresholds, SLO objectives and application categories.
 * Reading needs Viewer, changing needs Editor; a token bound to a project reaches only it.
 * - `GET /api/v1/inspections`: every check with its default and the project's overrides
 * - `PUT /api/v1/inspections` `{ <checkId>: { warning?, critical?, disabled? } }`: project-wide
 * - `GET|PUT /api/v1/inspections/<appId>`: one application's overrides (id URL-encoded)
 * - `GET|PUT /api/v1/apps/<appId>/slo`: `{ availability, latency }` objectives (see @vigil/audit)
 * - `GET|PUT /api/v1/categories`: `[{ category, globs }]`
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '@vigil/core';
import { DEFAULT_SLO_CONFIG, DEFAULT_THRESHOLDS } from '@vigil/audit';
import { DEFAULT_CATEGORY_RULES } from '@vigil/model';
import type { ReadAuth } from '../auth/read-auth.ts';
import type { Role } from '../configdb/index.ts';
import { parseOrBadRequest, type ProjectSettings } from '../model/project-settings.ts';

export interface SettingsRouteDeps {
  readonly auth: ReadAuth;
  readonly settings: ProjectSettings;
  readonly defaultProject: string;
}

const projectQuery = z.object({ project: z.string().min(1).max(64).optional() });

export async function settingsRoutes(app: FastifyInstance, deps: SettingsRouteDeps): Promise<void> {
  const projectFor = async (req: FastifyRequest, role: Role): Promise<string> => {
    const q = parseOrBadRequest(projectQuery, req.query, 'query');
    const principal = await deps.auth.require(req.headers, role);
    const project = q.project ?? principal.projectId ?? deps.defaultProject;
    if (principal.projectId !== undefined && principal.projectId !== project) {
      throw new AppError('forbidden', `this token may only access project "${principal.projectId}"`);
    }
    return project;
  };

  app.get('/api/v1/inspections', async (req) => {
    const project = await projectFor(req, 'Viewer');
    const saved = await deps.settings.inspections(project);
    return { defaults: DEFAULT_THRESHOLDS, project: saved.project, applications: saved.applications };
  });
  app.put('/api/v1/inspections', async (req) => {
    const project = await projectFor(req, 'Editor');
    return (await deps.settings.setInspections(project, undefined, req.body)).project;
  });
  app.get<{ Params: { appId: string } }>('/api/v1/inspections/:appId', async (req) => {
    const project = await projectFor(req, 'Viewer');
    const saved = await deps.settings.inspections(project);
    return { project: saved.project, application: saved.applications[req.params.appId] ?? {} };
  });
  app.put<{ Params: { appId: string } }>('/api/v1/inspections/:appId', async (req) => {
    const project = await projectFor(req, 'Editor');
    return (await deps.settings.setInspections(project, req.params.appId, req.body)).applications[
      req.params.appId
    ];
  });

  app.get<{ Params: { appId: string } }>('/api/v1/apps/:appId/slo', async (req) => {
    const project = await projectFor(req, 'Viewer');
    const saved = await deps.settings.slo(project, req.params.appId);
    return { config: saved ?? DEFAULT_SLO_CONFIG, default: saved === undefined };
  });
  app.put<{ Params: { appId: string } }>('/api/v1/apps/:appId/slo', async (req) => {
    const project = await projectFor(req, 'Editor');
    return { config: await deps.settings.setSlo(project, req.params.appId, req.body), default: false };
  });

  app.get('/api/v1/categories', async (req) => {
    const project = await projectFor(req, 'Viewer');
    const saved = await deps.settings.categories(project);
    return { categories: saved ?? DEFAULT_CATEGORY_RULES, default: saved === undefined };
  });
  app.put('/api/v1/categories', async (req) => {
    const project = await projectFor(req, 'Editor');
    return { categories: await deps.settings.setCategories(project, req.body), default: false };
  });
}

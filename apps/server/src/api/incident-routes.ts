/**
 * Incidents and root-cause analysis (read-authenticated; `from`/`to` in Unix milliseconds):
 * - `GET /api/v1/incidents?from&to[&appId]`: incidents overlapping the range, newest first
 * - `GET /api/v1/incidents/<id>`: one incident with its timeline and root-cause analysis
 * - `GET /api/v1/apps/<appId>/rca?from&to&symptom=latency|errors`: root-cause analysis of any
 *   window the user selects (the baseline is the three windows before it)
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Incident, RcaResult as AuditRcaResult } from '@vigil/audit';
import { AppError } from '@vigil/core';
import type { IncidentDetail, IncidentListResponse, IncidentSummary, RcaResult } from '@vigil/spec';
import type { ReadAuth } from '../auth/read-auth.ts';
import type { ConfigDb, StoredIncident } from '../configdb/index.ts';
import { parseOrBadRequest } from '../model/project-settings.ts';
import type { RcaService } from '../model/rca-service.ts';

export interface IncidentRouteDeps {
  readonly auth: ReadAuth;
  readonly db: ConfigDb;
  readonly rca: RcaService;
  readonly defaultProject: string;
  readonly clock?: () => number;
}

const ms = z.coerce.number({ error: 'must be Unix milliseconds' }).int().nonnegative();
const listQuery = z.object({
  project: z.string().min(1).max(64).optional(),
  from: ms.optional(),
  to: ms.optional(),
  appId: z.string().min(1).max(512).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
const rcaQuery = z.object({
  project: z.string().min(1).max(64).optional(),
  from: ms,
  to: ms,
  symptom: z
    .enum(['latency', 'errors'], { error: 'symptom must be "latency" or "errors"' })
    .default('latency'),
});

/**
 * What the incident loop (model/incident-loop.ts) stores in an incident's body: the audit's
 * values as it computed them. Typed with the audit's types and returned as @vigil/spec's, so a
 * change on either side that breaks the API's promise fails typecheck here.
 */
interface IncidentBody {
  readonly timeline?: Incident['timeline'];
  readonly rca?: AuditRcaResult | { readonly error: string };
}

function incidentSummary(i: StoredIncident): IncidentSummary {
  const body = (i.body ?? {}) as IncidentBody;
  const { id, appId, openedAtMs, resolvedAtMs, severity, worstSeverity } = i;
  return { id, appId, openedAtMs, resolvedAtMs, severity, worstSeverity, timeline: body.timeline ?? [] };
}

function incidentDetail(i: StoredIncident): IncidentDetail {
  const body = (i.body ?? {}) as IncidentBody;
  return { ...incidentSummary(i), rca: body.rca ?? null };
}

export async function incidentRoutes(app: FastifyInstance, deps: IncidentRouteDeps): Promise<void> {
  const clock = deps.clock ?? Date.now;
  const projectOf = (req: FastifyRequest, requested: string | undefined) =>
    deps.auth.readableProject(req.headers, requested, deps.defaultProject);

  app.get('/api/v1/incidents', async (req): Promise<IncidentListResponse> => {
    const q = parseOrBadRequest(listQuery, req.query, 'query');
    const project = await projectOf(req, q.project);
    const to = q.to ?? clock();
    const list = await deps.db.listIncidents(project, {
      fromMs: q.from ?? to - 7 * 86_400_000,
      toMs: to,
      ...(q.appId ? { appId: q.appId } : {}),
      ...(q.limit ? { limit: q.limit } : {}),
    });
    return { incidents: list.map(incidentSummary) };
  });

  app.get<{ Params: { id: string } }>('/api/v1/incidents/:id', async (req): Promise<IncidentDetail> => {
    const q = parseOrBadRequest(listQuery.pick({ project: true }), req.query, 'query');
    const project = await projectOf(req, q.project);
    const incident = await deps.db.getIncident(project, req.params.id);
    if (!incident) throw new AppError('not_found', `no incident "${req.params.id}"`);
    return incidentDetail(incident);
  });

  app.get<{ Params: { appId: string } }>('/api/v1/apps/:appId/rca', async (req): Promise<RcaResult> => {
    const q = parseOrBadRequest(rcaQuery, req.query, 'query');
    const project = await projectOf(req, q.project);
    return deps.rca.analyse(project, req.params.appId, q.symptom, q.from, q.to);
  });
}

import { z } from 'zod';
import {
  INCIDENT_SEVERITIES,
  type IncidentSeverity,
  type StoredIncident,
  type TimeRangeQuery,
} from './config-db.ts';
import { appIdSchema, boundedText, jsonColumn, timeRangeQuerySchema, unixMs } from './history-input.ts';
import { missingProject } from './projects.ts';
import { int, json, oneOf, optionalInt, text } from './rows.ts';
import type { Db, Row } from './sql-client.ts';
import { sql } from './sql.ts';
import { check, schemas } from './validation.ts';

/**
 * SLO incidents and the per-application state of the machine that opens and resolves them
 * (packages/audit/src/slo/incidents.ts). The server upserts each incident a run touched, so
 * re-running a window or two replicas running the same minute store the same rows.
 */

// A timeline grows with every severity change and the root-cause analysis joins it later; the
// cap keeps one flapping incident from turning every list request into megabytes.
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_STATE_BYTES = 64 * 1024;

const RANK: Readonly<Record<IncidentSeverity, number>> = { warning: 1, critical: 2 };

const incidentId = boundedText('incident id', 64);
const severity = (field: string) =>
  z.enum(INCIDENT_SEVERITIES as [IncidentSeverity, ...IncidentSeverity[]], {
    error: `${field} must be one of ${INCIDENT_SEVERITIES.join(', ')}`,
  });
const incidentInput = z
  .object(
    {
      id: incidentId,
      appId: appIdSchema,
      openedAtMs: unixMs('openedAtMs'),
      resolvedAtMs: unixMs('resolvedAtMs').nullable(),
      severity: severity('severity'),
      worstSeverity: severity('worstSeverity'),
      // Optional only to zod, whose messages for a missing key are generic: jsonColumn refuses
      // undefined with one that names the field.
      body: z.unknown().optional(),
    },
    { error: 'incident must be an object' },
  )
  .refine((i) => i.resolvedAtMs === null || i.resolvedAtMs >= i.openedAtMs, {
    error: 'resolvedAtMs must not be before openedAtMs',
  })
  .refine((i) => RANK[i.worstSeverity] >= RANK[i.severity], {
    error: 'worstSeverity must be at least as severe as severity',
  });

function toIncident(row: Row): StoredIncident {
  return {
    id: text(row, 'id'),
    appId: text(row, 'app_id'),
    openedAtMs: int(row, 'opened_at'),
    resolvedAtMs: optionalInt(row, 'resolved_at') ?? null,
    severity: oneOf(row, 'severity', INCIDENT_SEVERITIES),
    worstSeverity: oneOf(row, 'worst_severity', INCIDENT_SEVERITIES),
    body: json(row, 'body'),
  };
}

/** Creates or replaces the incident with this id, in one statement. */
export async function upsertIncident(db: Db, projectId: string, incident: StoredIncident): Promise<void> {
  const project = check(schemas.projectId, projectId);
  const i = check(incidentInput, incident);
  const body = jsonColumn('incident body', i.body, MAX_BODY_BYTES);
  await db.execute(
    sql`INSERT INTO incidents (project_id, id, app_id, opened_at, resolved_at, severity, worst_severity, body,
          updated_at)
        VALUES (${project}, ${i.id}, ${i.appId}, ${i.openedAtMs}, ${i.resolvedAtMs}, ${i.severity},
          ${i.worstSeverity}, ${body}, ${db.now()})
        ON CONFLICT (project_id, id) DO UPDATE SET app_id = excluded.app_id, opened_at = excluded.opened_at,
          resolved_at = excluded.resolved_at, severity = excluded.severity,
          worst_severity = excluded.worst_severity, body = excluded.body, updated_at = excluded.updated_at`,
    { foreignKey: missingProject(project) },
  );
}

export async function getIncident(db: Db, projectId: string, id: string): Promise<StoredIncident | null> {
  const project = check(schemas.projectId, projectId);
  const incident = check(incidentId, id);
  const row = await db.first(
    sql`SELECT id, app_id, opened_at, resolved_at, severity, worst_severity, body FROM incidents
        WHERE project_id = ${project} AND id = ${incident}`,
  );
  return row === undefined ? null : toIncident(row);
}

/**
 * Incidents open at some point of [fromMs, toMs], newest opened first (id breaks ties, so pages
 * are stable). The (project_id, opened_at) index is read backwards from `toMs`.
 */
export async function listIncidents(
  db: Db,
  projectId: string,
  query: TimeRangeQuery,
): Promise<StoredIncident[]> {
  const project = check(schemas.projectId, projectId);
  const { fromMs, toMs, appId, limit } = check(timeRangeQuerySchema, query);
  // Two statements rather than `(? IS NULL OR app_id = ?)`: Postgres cannot type a parameter
  // that is only compared with NULL, and each text here stays a plain prepared statement.
  const rows =
    appId === undefined
      ? await db.query(
          sql`SELECT id, app_id, opened_at, resolved_at, severity, worst_severity, body FROM incidents
              WHERE project_id = ${project} AND opened_at <= ${toMs}
                AND (resolved_at IS NULL OR resolved_at >= ${fromMs})
              ORDER BY opened_at DESC, id DESC LIMIT ${limit}`,
        )
      : await db.query(
          sql`SELECT id, app_id, opened_at, resolved_at, severity, worst_severity, body FROM incidents
              WHERE project_id = ${project} AND opened_at <= ${toMs}
                AND (resolved_at IS NULL OR resolved_at >= ${fromMs}) AND app_id = ${appId}
              ORDER BY opened_at DESC, id DESC LIMIT ${limit}`,
        );
  return rows.map(toIncident);
}

/** The stored state of the application's incident machine, or undefined before its first run. */
export async function getIncidentState(db: Db, projectId: string, appId: string): Promise<unknown> {
  const project = check(schemas.projectId, projectId);
  const app = check(appIdSchema, appId);
  const row = await db.first(
    sql`SELECT state FROM incident_states WHERE project_id = ${project} AND app_id = ${app}`,
  );
  return row === undefined ? undefined : json(row, 'state');
}

export async function putIncidentState(
  db: Db,
  projectId: string,
  appId: string,
  state: unknown,
): Promise<void> {
  const project = check(schemas.projectId, projectId);
  const app = check(appIdSchema, appId);
  const value = jsonColumn('incident state', state, MAX_STATE_BYTES);
  await db.execute(
    sql`INSERT INTO incident_states (project_id, app_id, state, updated_at)
        VALUES (${project}, ${app}, ${value}, ${db.now()})
        ON CONFLICT (project_id, app_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
    { foreignKey: missingProject(project) },
  );
}

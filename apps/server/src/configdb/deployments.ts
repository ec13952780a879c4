import { z } from 'zod';
import { AppError } from '@vigil/core';
import {
  DEPLOYMENT_STATES,
  type DeploymentState,
  type StoredDeployment,
  type TimeRangeQuery,
  type UpsertDeploymentResult,
} from './config-db.ts';
import { appIdSchema, boundedText, jsonColumn, timeRangeQuerySchema, unixMs } from './history-input.ts';
import { missingProject } from './projects.ts';
import { int, json, oneOf, optionalInt, text } from './rows.ts';
import type { Db, Row } from './sql-client.ts';
import { sql } from './sql.ts';
import { check, schemas } from './validation.ts';

/**
 * Deployments detected from image changes (packages/audit/src/deployments), re-detected on every
 * run until they are done and summarised, plus when a notification about each was sent.
 */

const MAX_BODY_BYTES = 256 * 1024;

const deploymentId = boundedText('deployment id', 512);
const deploymentInput = z
  .object(
    {
      id: deploymentId,
      appId: appIdSchema,
      startedAtMs: unixMs('startedAtMs'),
      finishedAtMs: unixMs('finishedAtMs').nullable(),
      state: z.enum(DEPLOYMENT_STATES as [DeploymentState, ...DeploymentState[]], {
        error: `deployment state must be one of ${DEPLOYMENT_STATES.join(', ')}`,
      }),
      // Optional only to zod, whose messages for a missing key are generic: jsonColumn refuses
      // undefined with one that names the field.
      body: z.unknown().optional(),
      notifiedAtMs: unixMs('notifiedAtMs').nullable(),
    },
    { error: 'deployment must be an object' },
  )
  .refine((d) => d.state !== 'in_progress' || d.finishedAtMs === null, {
    error: 'finishedAtMs must be null while the deployment is in_progress',
  })
  .refine((d) => d.state !== 'done' || d.finishedAtMs !== null, {
    error: 'finishedAtMs must be set once the deployment is done',
  })
  .refine((d) => d.finishedAtMs === null || d.finishedAtMs >= d.startedAtMs, {
    error: 'finishedAtMs must not be before startedAtMs',
  });

function toDeployment(row: Row): StoredDeployment {
  return {
    id: text(row, 'id'),
    appId: text(row, 'app_id'),
    startedAtMs: int(row, 'started_at'),
    finishedAtMs: optionalInt(row, 'finished_at') ?? null,
    state: oneOf(row, 'state', DEPLOYMENT_STATES),
    body: json(row, 'body'),
    notifiedAtMs: optionalInt(row, 'notified_at') ?? null,
  };
}

/**
 * Creates the deployment, or replaces the stored one but for `notified_at`, which only moves
 * forward. An insert that does nothing on conflict, then an update: the insert's row count is
 * what says "new" in both dialects (an ON CONFLICT DO UPDATE reports one row either way), and
 * when two replicas detect the same deployment at once only one of them sees `created`.
 */
export async function upsertDeployment(
  db: Db,
  projectId: string,
  deployment: StoredDeployment,
): Promise<UpsertDeploymentResult> {
  const project = check(schemas.projectId, projectId);
  const d = check(deploymentInput, deployment);
  const body = jsonColumn('deployment body', d.body, MAX_BODY_BYTES);
  const nowMs = db.now();
  // A second round only when the row vanished between the two statements (its project was
  // deleted); the insert then reports the missing project.
  for (let round = 0; round < 2; round++) {
    const inserted = await db.execute(
      sql`INSERT INTO deployments (project_id, id, app_id, started_at, finished_at, state, body, notified_at,
            updated_at)
          VALUES (${project}, ${d.id}, ${d.appId}, ${d.startedAtMs}, ${d.finishedAtMs}, ${d.state}, ${body},
            ${d.notifiedAtMs}, ${nowMs})
          ON CONFLICT (project_id, id) DO NOTHING`,
      { foreignKey: missingProject(project) },
    );
    if (inserted > 0) return { created: true };
    // `notified_at < NULL` is NULL, so a null given time keeps a stored one.
    const updated = await db.execute(
      sql`UPDATE deployments SET app_id = ${d.appId}, started_at = ${d.startedAtMs},
            finished_at = ${d.finishedAtMs}, state = ${d.state}, body = ${body},
            notified_at = CASE WHEN notified_at IS NULL OR notified_at < ${d.notifiedAtMs}
              THEN ${d.notifiedAtMs} ELSE notified_at END,
            updated_at = ${nowMs}
          WHERE project_id = ${project} AND id = ${d.id}`,
    );
    if (updated > 0) return { created: false };
  }
  throw new AppError('internal', `deployment ${project}/${d.id} kept vanishing while it was saved`);
}

/**
 * Deployments in progress at some point of [fromMs, toMs], newest started first (id breaks
 * ties). The (project_id, started_at) index is read backwards from `toMs`.
 */
export async function listDeployments(
  db: Db,
  projectId: string,
  query: TimeRangeQuery,
): Promise<StoredDeployment[]> {
  const project = check(schemas.projectId, projectId);
  const { fromMs, toMs, appId, limit } = check(timeRangeQuerySchema, query);
  // Two texts rather than `(? IS NULL OR app_id = ?)`, which Postgres cannot type.
  const rows =
    appId === undefined
      ? await db.query(
          sql`SELECT id, app_id, started_at, finished_at, state, body, notified_at FROM deployments
              WHERE project_id = ${project} AND started_at <= ${toMs}
                AND (finished_at IS NULL OR finished_at >= ${fromMs})
              ORDER BY started_at DESC, id DESC LIMIT ${limit}`,
        )
      : await db.query(
          sql`SELECT id, app_id, started_at, finished_at, state, body, notified_at FROM deployments
              WHERE project_id = ${project} AND started_at <= ${toMs}
                AND (finished_at IS NULL OR finished_at >= ${fromMs}) AND app_id = ${appId}
              ORDER BY started_at DESC, id DESC LIMIT ${limit}`,
        );
  return rows.map(toDeployment);
}

/** Records a notification sent at `atMs`; a later stored time is kept. */
export async function markDeploymentNotified(
  db: Db,
  projectId: string,
  id: string,
  atMs: number,
): Promise<void> {
  const project = check(schemas.projectId, projectId);
  const deployment = check(deploymentId, id);
  const at = check(unixMs('atMs'), atMs);
  const updated = await db.execute(
    sql`UPDATE deployments
        SET notified_at = CASE WHEN notified_at IS NULL OR notified_at < ${at} THEN ${at} ELSE notified_at END,
          updated_at = ${db.now()}
        WHERE project_id = ${project} AND id = ${deployment}`,
  );
  if (updated === 0) {
    throw new AppError('not_found', `project "${project}" has no deployment ${JSON.stringify(deployment)}`);
  }
}

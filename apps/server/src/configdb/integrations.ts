import { z } from 'zod';
import { AppError } from '@vigil/core';
import type { IntegrationDelivery, PutIntegrationInput, StoredIntegration } from './config-db.ts';
import { missingProject } from './projects.ts';
import { int, optionalInt, optionalText, text } from './rows.ts';
import type { Db, Row } from './sql-client.ts';
import { sql } from './sql.ts';
import { check, schemas } from './validation.ts';

/** What an integration type looks like; the notifications module decides which types exist. */
const INTEGRATION_TYPE_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;

const MAX_SETTINGS_BYTES = 64 * 1024;
// A receiver's error answer can be a whole HTML page; the first lines say what went wrong.
const MAX_ERROR_CHARS = 2000;

const type = z.string({ error: 'integration type must be a string' }).regex(INTEGRATION_TYPE_PATTERN, {
  error: "integration type must be 1-32 characters of a-z, 0-9 or '_', starting with a letter",
});
const incidentId = z
  .string({ error: 'incident id must be a string' })
  .min(1, { error: 'incident id must not be empty' })
  .max(256, { error: 'incident id must be at most 256 characters' });
const ref = z
  .string({ error: 'thread reference must be a string' })
  .min(1, { error: 'thread reference must not be empty' })
  .max(4096, { error: 'thread reference must be at most 4096 characters' });
const flag = (name: string) => z.boolean({ error: `${name} must be true or false` });
const putInput = z.object({
  type,
  enabled: flag('enabled'),
  incidents: flag('incidents'),
  deployments: flag('deployments'),
  settings: z.record(z.string(), z.unknown(), { error: 'integration settings must be an object' }),
  sealedSecrets: z.string({ error: 'sealed secrets must be a string' }),
});

function toIntegration(row: Row): StoredIntegration {
  const lastSuccessAt = optionalInt(row, 'last_success_at');
  const lastError = optionalText(row, 'last_error');
  const lastErrorAt = optionalInt(row, 'last_error_at');
  return {
    projectId: text(row, 'project_id'),
    type: text(row, 'type'),
    enabled: int(row, 'enabled') === 1,
    incidents: int(row, 'incidents') === 1,
    deployments: int(row, 'deployments') === 1,
    settings: JSON.parse(text(row, 'settings')) as Record<string, unknown>,
    sealedSecrets: text(row, 'sealed_secrets'),
    createdAt: int(row, 'created_at'),
    updatedAt: int(row, 'updated_at'),
    ...(lastSuccessAt === undefined ? {} : { lastSuccessAt }),
    ...(lastError === undefined ? {} : { lastError }),
    ...(lastErrorAt === undefined ? {} : { lastErrorAt }),
  };
}

export async function listIntegrations(db: Db, projectId: string): Promise<StoredIntegration[]> {
  const project = check(schemas.projectId, projectId);
  const rows = await db.query(sql`SELECT * FROM integrations WHERE project_id = ${project} ORDER BY type`);
  return rows.map(toIntegration);
}

export async function getIntegration(
  db: Db,
  projectId: string,
  kind: string,
): Promise<StoredIntegration | null> {
  const project = check(schemas.projectId, projectId);
  const integrationType = check(type, kind);
  const row = await db.first(
    sql`SELECT * FROM integrations WHERE project_id = ${project} AND type = ${integrationType}`,
  );
  return row === undefined ? null : toIntegration(row);
}

/**
 * Creates or replaces an integration in one statement, so two editors saving at once leave one
 * whole row (the last save) rather than a mix. Delivery status and creation time survive an
 * update: a user fixing a URL should still see when the last delivery failed.
 */
export async function putIntegration(
  db: Db,
  projectId: string,
  input: PutIntegrationInput,
): Promise<StoredIntegration> {
  const project = check(schemas.projectId, projectId);
  const parsed = check(putInput, input);
  const settings = JSON.stringify(parsed.settings);
  if (Buffer.byteLength(settings) > MAX_SETTINGS_BYTES) {
    throw new AppError('bad_request', 'integration settings must be at most 64 KiB as JSON');
  }
  const bit = (b: boolean): number => (b ? 1 : 0);
  const nowMs = db.now();
  await db.execute(
    sql`INSERT INTO integrations (project_id, type, enabled, incidents, deployments, settings, sealed_secrets,
          created_at, updated_at)
        VALUES (${project}, ${parsed.type}, ${bit(parsed.enabled)}, ${bit(parsed.incidents)},
          ${bit(parsed.deployments)}, ${settings}, ${parsed.sealedSecrets}, ${nowMs}, ${nowMs})
        ON CONFLICT (project_id, type) DO UPDATE SET enabled = excluded.enabled,
          incidents = excluded.incidents, deployments = excluded.deployments, settings = excluded.settings,
          sealed_secrets = excluded.sealed_secrets, updated_at = excluded.updated_at`,
    { foreignKey: missingProject(project) },
  );
  const stored = await getIntegration(db, project, parsed.type);
  if (stored === null) {
    throw new AppError('internal', `integration ${project}/${parsed.type} vanished right after it was saved`);
  }
  return stored;
}

export async function deleteIntegration(db: Db, projectId: string, kind: string): Promise<void> {
  const project = check(schemas.projectId, projectId);
  const integrationType = check(type, kind);
  const deleted = await db.execute(
    sql`DELETE FROM integrations WHERE project_id = ${project} AND type = ${integrationType}`,
  );
  if (deleted === 0) {
    throw new AppError('not_found', `project "${project}" has no ${integrationType} integration`);
  }
}

/** Keeps the last success and the last error apart, so a flapping receiver shows both. */
export async function recordIntegrationDelivery(
  db: Db,
  projectId: string,
  kind: string,
  delivery: IntegrationDelivery,
): Promise<void> {
  const project = check(schemas.projectId, projectId);
  const integrationType = check(type, kind);
  if (delivery.ok) {
    await db.execute(
      sql`UPDATE integrations SET last_success_at = ${delivery.atMs}
          WHERE project_id = ${project} AND type = ${integrationType}`,
    );
    return;
  }
  const error = delivery.error.slice(0, MAX_ERROR_CHARS);
  await db.execute(
    sql`UPDATE integrations SET last_error = ${error}, last_error_at = ${delivery.atMs}
        WHERE project_id = ${project} AND type = ${integrationType}`,
  );
}

export async function getIntegrationThread(
  db: Db,
  projectId: string,
  kind: string,
  incident: string,
): Promise<string | null> {
  const project = check(schemas.projectId, projectId);
  const integrationType = check(type, kind);
  const id = check(incidentId, incident);
  const row = await db.first(
    sql`SELECT ref FROM integration_threads
        WHERE project_id = ${project} AND type = ${integrationType} AND incident_id = ${id}`,
  );
  return row === undefined ? null : text(row, 'ref');
}

export async function setIntegrationThread(
  db: Db,
  projectId: string,
  kind: string,
  incident: string,
  threadRef: string,
): Promise<void> {
  const project = check(schemas.projectId, projectId);
  const integrationType = check(type, kind);
  const id = check(incidentId, incident);
  const value = check(ref, threadRef);
  await db.execute(
    sql`INSERT INTO integration_threads (project_id, type, incident_id, ref, created_at)
        VALUES (${project}, ${integrationType}, ${id}, ${value}, ${db.now()})
        ON CONFLICT (project_id, type, incident_id) DO UPDATE SET ref = excluded.ref`,
    { foreignKey: `project "${project}" has no ${integrationType} integration` },
  );
}

export async function deleteIntegrationThread(
  db: Db,
  projectId: string,
  kind: string,
  incident: string,
): Promise<void> {
  const project = check(schemas.projectId, projectId);
  const integrationType = check(type, kind);
  const id = check(incidentId, incident);
  await db.execute(
    sql`DELETE FROM integration_threads
        WHERE project_id = ${project} AND type = ${integrationType} AND incident_id = ${id}`,
  );
}

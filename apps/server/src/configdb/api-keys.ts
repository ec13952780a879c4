import { randomUUID } from 'node:crypto';
import { AppError } from '@vigil/core';
import type { ApiKeyInfo, CreateApiKeyInput, CreatedApiKey } from './config-db.ts';
import { missingProject } from './projects.ts';
import { int, text } from './rows.ts';
import type { Db, Row } from './sql-client.ts';
import { sql } from './sql.ts';
import { API_KEY_PREFIX, generateSecret, hashSecret, visiblePrefix } from './tokens.ts';
import { check, schemas } from './validation.ts';

/** Description given to the key registered from VIGIL_API_KEY. */
export const BOOTSTRAP_KEY_DESCRIPTION = 'bootstrap key (VIGIL_API_KEY)';

const DUPLICATE_KEY = 'this API key is already registered';

function toInfo(row: Row): ApiKeyInfo {
  return {
    id: text(row, 'id'),
    projectId: text(row, 'project_id'),
    prefix: text(row, 'prefix'),
    description: text(row, 'description'),
    createdAt: int(row, 'created_at'),
  };
}

export async function createApiKey(
  db: Db,
  projectId: string,
  input: CreateApiKeyInput,
): Promise<CreatedApiKey> {
  const project = check(schemas.projectId, projectId);
  const { key: chosen, description } = check(schemas.createApiKey, input);
  const key = chosen ?? generateSecret(API_KEY_PREFIX);
  const info: ApiKeyInfo = {
    id: randomUUID(),
    projectId: project,
    prefix: visiblePrefix(key),
    description,
    createdAt: db.now(),
  };
  await db.execute(
    sql`INSERT INTO api_keys (id, project_id, key_hash, prefix, description, created_at)
        VALUES (${info.id}, ${project}, ${hashSecret(key)}, ${info.prefix}, ${description}, ${info.createdAt})`,
    { unique: DUPLICATE_KEY, foreignKey: missingProject(project) },
  );
  return { ...info, key };
}

/**
 * Registers the bootstrap key at every start. ON CONFLICT keeps the first registration, so
 * restarts and concurrently starting replicas leave exactly one row. The same key cannot
 * serve two projects, because the key is what selects the project.
 */
export async function ensureApiKey(db: Db, projectId: string, key: string): Promise<ApiKeyInfo> {
  const project = check(schemas.projectId, projectId);
  const plain = check(schemas.apiKey, key);
  const hash = hashSecret(plain);
  await db.execute(
    sql`INSERT INTO api_keys (id, project_id, key_hash, prefix, description, created_at)
        VALUES (${randomUUID()}, ${project}, ${hash}, ${visiblePrefix(plain)}, ${BOOTSTRAP_KEY_DESCRIPTION}, ${db.now()})
        ON CONFLICT (key_hash) DO NOTHING`,
    { foreignKey: missingProject(project) },
  );
  const row = await db.first(
    sql`SELECT id, project_id, prefix, description, created_at FROM api_keys WHERE key_hash = ${hash}`,
  );
  if (row === undefined) throw new AppError('internal', 'bootstrap API key vanished right after creation');
  const info = toInfo(row);
  if (info.projectId !== project) {
    throw new AppError('conflict', `${DUPLICATE_KEY} for project "${info.projectId}"`);
  }
  return info;
}

export async function findProjectByApiKey(db: Db, key: string): Promise<string | null> {
  // Whatever a client sends in X-API-Key is only hashed and looked up; bad input is a miss.
  if (typeof key !== 'string' || key.length === 0 || key.length > 256) return null;
  const row = await db.first(sql`SELECT project_id FROM api_keys WHERE key_hash = ${hashSecret(key)}`);
  return row === undefined ? null : text(row, 'project_id');
}

export async function listApiKeys(db: Db, projectId: string): Promise<ApiKeyInfo[]> {
  const project = check(schemas.projectId, projectId);
  const rows = await db.query(
    sql`SELECT id, project_id, prefix, description, created_at FROM api_keys
        WHERE project_id = ${project} ORDER BY created_at, id`,
  );
  return rows.map(toInfo);
}

/** Deletes a key of the project; scoping by project stops one project deleting another's key. */
export async function deleteApiKey(db: Db, projectId: string, id: string): Promise<void> {
  const project = check(schemas.projectId, projectId);
  const keyId = check(schemas.id, id);
  const deleted = await db.execute(sql`DELETE FROM api_keys WHERE project_id = ${project} AND id = ${keyId}`);
  if (deleted === 0)
    throw new AppError('not_found', `project "${project}" has no API key with id "${keyId}"`);
}

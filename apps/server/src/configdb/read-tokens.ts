import { randomUUID } from 'node:crypto';
import { AppError } from '@vigil/core';
import type { CreateReadTokenInput, CreatedReadToken, ReadTokenGrant, ReadTokenInfo } from './config-db.ts';
import { missingProject } from './projects.ts';
import { int, optionalInt, optionalText, role, text } from './rows.ts';
import type { Db, Row } from './sql-client.ts';
import { sql } from './sql.ts';
import { READ_TOKEN_PREFIX, generateSecret, hashSecret, visiblePrefix } from './tokens.ts';
import { check, schemas } from './validation.ts';

function toGrant(row: Row): ReadTokenGrant {
  const projectId = optionalText(row, 'project_id');
  return { id: text(row, 'id'), role: role(row, 'role'), ...(projectId === undefined ? {} : { projectId }) };
}

function toInfo(row: Row): ReadTokenInfo {
  const revokedAt = optionalInt(row, 'revoked_at');
  return {
    ...toGrant(row),
    prefix: text(row, 'prefix'),
    description: text(row, 'description'),
    createdBy: text(row, 'created_by'),
    createdAt: int(row, 'created_at'),
    ...(revokedAt === undefined ? {} : { revokedAt }),
  };
}

/**
 * Creates a read API token. The creator is checked here as well as in the API layer: a token
 * outlives the request that made it, so the rule "only Admins grant access" is kept next to
 * the data.
 */
export async function createReadToken(db: Db, input: CreateReadTokenInput): Promise<CreatedReadToken> {
  const parsed = check(schemas.createReadToken, input);
  const creator = await db.first(sql`SELECT role FROM users WHERE id = ${parsed.createdBy}`);
  if (creator === undefined) throw new AppError('not_found', `user "${parsed.createdBy}" does not exist`);
  if (role(creator, 'role') !== 'Admin') {
    throw new AppError('forbidden', 'only an Admin can create read API tokens');
  }
  const token = generateSecret(READ_TOKEN_PREFIX);
  const info: ReadTokenInfo = {
    id: randomUUID(),
    role: parsed.role,
    ...(parsed.projectId === undefined ? {} : { projectId: parsed.projectId }),
    prefix: visiblePrefix(token),
    description: parsed.description,
    createdBy: parsed.createdBy,
    createdAt: db.now(),
  };
  await db.execute(
    sql`INSERT INTO read_tokens (id, token_hash, prefix, description, role, project_id, created_by, created_at)
        VALUES (${info.id}, ${hashSecret(token)}, ${info.prefix}, ${info.description}, ${info.role},
                ${parsed.projectId ?? null}, ${info.createdBy}, ${info.createdAt})`,
    // The creator was just checked, so a missing reference is almost surely the project.
    {
      foreignKey:
        parsed.projectId === undefined
          ? `user "${parsed.createdBy}" does not exist`
          : missingProject(parsed.projectId),
    },
  );
  return { ...info, token };
}

export async function findReadToken(db: Db, token: string): Promise<ReadTokenGrant | null> {
  if (typeof token !== 'string' || token.length === 0 || token.length > 256) return null;
  const row = await db.first(
    sql`SELECT id, role, project_id, revoked_at FROM read_tokens WHERE token_hash = ${hashSecret(token)}`,
  );
  if (row === undefined || optionalInt(row, 'revoked_at') !== undefined) return null;
  return toGrant(row);
}

/** Revokes a token; the row stays (with revoked_at) so the listing shows what was revoked when. */
export async function revokeReadToken(db: Db, id: string): Promise<void> {
  const tokenId = check(schemas.id, id);
  const updated = await db.execute(
    sql`UPDATE read_tokens SET revoked_at = COALESCE(revoked_at, ${db.now()}) WHERE id = ${tokenId}`,
  );
  if (updated === 0) throw new AppError('not_found', `no read API token with id "${tokenId}"`);
}

export async function listReadTokens(db: Db): Promise<ReadTokenInfo[]> {
  const rows = await db.query(
    sql`SELECT id, role, project_id, prefix, description, created_by, created_at, revoked_at
        FROM read_tokens ORDER BY created_at, id`,
  );
  return rows.map(toInfo);
}

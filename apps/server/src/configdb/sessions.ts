import type { Session } from './config-db.ts';
import { int } from './rows.ts';
import type { Db } from './sql-client.ts';
import { sql } from './sql.ts';
import { generateSecret, hashSecret } from './tokens.ts';
import { toUser } from './users.ts';
import { check, schemas } from './validation.ts';

/** Generated session tokens are 32 characters; anything far longer is not one of ours. */
const MAX_TOKEN_LENGTH = 256;

/** Starts a session; only the token's hash is stored, so a leaked database opens no sessions. */
export async function createSession(db: Db, userId: string, ttlMs: number): Promise<string> {
  const user = check(schemas.id, userId);
  const ttl = check(schemas.ttlMs, ttlMs);
  const token = generateSecret();
  const nowMs = db.now();
  // Sessions that are never presented again are never looked up, so they are purged here;
  // logins are rare enough, and the expires_at index makes this cheap.
  await db.execute(sql`DELETE FROM sessions WHERE expires_at <= ${nowMs}`);
  await db.execute(
    sql`INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
        VALUES (${hashSecret(token)}, ${user}, ${nowMs}, ${nowMs + ttl})`,
    { foreignKey: `user "${user}" does not exist` },
  );
  return token;
}

export async function findSession(db: Db, token: string): Promise<Session | null> {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
  const hash = hashSecret(token);
  const row = await db.first(
    sql`SELECT s.expires_at, u.id, u.username, u.role, u.created_at
        FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = ${hash}`,
  );
  if (row === undefined) return null;
  const expiresAt = int(row, 'expires_at');
  if (expiresAt <= db.now()) {
    await db.execute(sql`DELETE FROM sessions WHERE token_hash = ${hash}`);
    return null;
  }
  return { user: toUser(row), expiresAt };
}

/** Logs out; deleting a session that does not exist is not an error (logout is idempotent). */
export async function deleteSession(db: Db, token: string): Promise<void> {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return;
  await db.execute(sql`DELETE FROM sessions WHERE token_hash = ${hashSecret(token)}`);
}

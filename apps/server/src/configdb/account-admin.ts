/**
 * Account administration over the config DB: creating and deleting projects, changing a user's
 * role or password, deleting users. The "at least one Admin" rule is enforced inside the same
 * SQL statement that would break it, so two requests racing on SQLite (one writer at a time)
 * cannot both pass the check.
 */
import { AppError } from '@vigil/core';
import type { Project, Role, User } from './config-db.ts';
import { hashPassword } from './passwords.ts';
import { getProject, missingProject } from './projects.ts';
import type { Db } from './sql-client.ts';
import { sql } from './sql.ts';
import { hashSecret } from './tokens.ts';
import { getUser } from './users.ts';
import { check, schemas } from './validation.ts';

/** The message shown when a change would leave no Admin; the UI shows it as it is. */
export const LAST_ADMIN_MESSAGE = 'at least one Admin must remain: make another user an Admin first';

const missingUser = (id: string): string => `no user with id "${id}"`;

/** Creates a project; unlike `ensureProject`, an existing id is a `conflict`. */
export async function createProject(db: Db, id: string, name: string): Promise<Project> {
  const projectId = check(schemas.projectId, id);
  const projectName = check(schemas.projectName, name);
  await db.execute(
    sql`INSERT INTO projects (id, name, created_at) VALUES (${projectId}, ${projectName}, ${db.now()})`,
    { unique: `project "${projectId}" already exists` },
  );
  const project = await getProject(db, projectId);
  if (project === null)
    throw new AppError('internal', `project "${projectId}" vanished right after creation`);
  return project;
}

/**
 * Deletes a project with its keys, settings, integrations, incidents and bound read tokens
 * (ON DELETE CASCADE). Telemetry already stored is not touched here.
 */
export async function deleteProject(db: Db, id: string): Promise<void> {
  const projectId = check(schemas.projectId, id);
  const deleted = await db.execute(sql`DELETE FROM projects WHERE id = ${projectId}`);
  if (deleted === 0) throw new AppError('not_found', missingProject(projectId));
}

/**
 * Changes a user's role. Demoting the last Admin is refused with `conflict`: the subquery
 * counts Admins in the statement that changes the row.
 */
export async function setUserRole(db: Db, id: string, newRole: Role): Promise<User> {
  const userId = check(schemas.id, id);
  const r = check(schemas.role, newRole);
  const updated = await db.execute(
    sql`UPDATE users SET role = ${r}
        WHERE id = ${userId}
          AND (${r} = 'Admin' OR role <> 'Admin'
               OR (SELECT COUNT(*) FROM users WHERE role = 'Admin') > 1)`,
  );
  const user = await getUser(db, userId);
  if (user === null) throw new AppError('not_found', missingUser(userId));
  if (updated === 0) throw new AppError('conflict', LAST_ADMIN_MESSAGE);
  return user;
}

/**
 * Sets a new password and ends the user's sessions, except the one given (the Admin who
 * changes their own password stays logged in): whoever knew the old password is logged out.
 */
export async function setUserPassword(
  db: Db,
  id: string,
  password: string,
  keepSessionToken?: string,
): Promise<User> {
  const userId = check(schemas.id, id);
  const plain = check(schemas.password, password);
  const passwordHash = await hashPassword(plain);
  const updated = await db.execute(
    sql`UPDATE users SET password_hash = ${passwordHash} WHERE id = ${userId}`,
  );
  if (updated === 0) throw new AppError('not_found', missingUser(userId));
  const keep = keepSessionToken === undefined ? '' : hashSecret(keepSessionToken);
  await db.execute(sql`DELETE FROM sessions WHERE user_id = ${userId} AND token_hash <> ${keep}`);
  const user = await getUser(db, userId);
  if (user === null) throw new AppError('not_found', missingUser(userId));
  return user;
}

/**
 * Deletes a user with their sessions and the read tokens they created (ON DELETE CASCADE).
 * Deleting the last Admin is refused with `conflict`.
 */
export async function deleteUser(db: Db, id: string): Promise<void> {
  const userId = check(schemas.id, id);
  const deleted = await db.execute(
    sql`DELETE FROM users
        WHERE id = ${userId}
          AND (role <> 'Admin' OR (SELECT COUNT(*) FROM users WHERE role = 'Admin') > 1)`,
  );
  if (deleted > 0) return;
  if ((await getUser(db, userId)) === null) throw new AppError('not_found', missingUser(userId));
  throw new AppError('conflict', LAST_ADMIN_MESSAGE);
}

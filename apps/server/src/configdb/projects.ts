import { AppError } from '@vigil/core';
import type { Project } from './config-db.ts';
import { int, text } from './rows.ts';
import type { Db, Row } from './sql-client.ts';
import { sql } from './sql.ts';
import { check, schemas } from './validation.ts';

function toProject(row: Row): Project {
  return { id: text(row, 'id'), name: text(row, 'name'), createdAt: int(row, 'created_at') };
}

/** Creates the project unless it exists; ON CONFLICT makes concurrent replicas agree. */
export async function ensureProject(db: Db, id: string, name: string): Promise<Project> {
  const projectId = check(schemas.projectId, id);
  const projectName = check(schemas.projectName, name);
  await db.execute(
    sql`INSERT INTO projects (id, name, created_at) VALUES (${projectId}, ${projectName}, ${db.now()})
        ON CONFLICT (id) DO NOTHING`,
  );
  const project = await getProject(db, projectId);
  if (project === null)
    throw new AppError('internal', `project "${projectId}" vanished right after creation`);
  return project;
}

export async function getProject(db: Db, id: string): Promise<Project | null> {
  // An id that breaks the rules cannot exist; asking for it is a miss, not an error.
  if (!schemas.projectId.safeParse(id).success) return null;
  const row = await db.first(sql`SELECT id, name, created_at FROM projects WHERE id = ${id}`);
  return row === undefined ? null : toProject(row);
}

export async function listProjects(db: Db): Promise<Project[]> {
  const rows = await db.query(sql`SELECT id, name, created_at FROM projects ORDER BY created_at, id`);
  return rows.map(toProject);
}

/** The `not_found` message used when a write references a project that does not exist. */
export const missingProject = (projectId: string): string => `project "${projectId}" does not exist`;

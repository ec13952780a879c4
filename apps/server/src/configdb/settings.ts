import { text } from './rows.ts';
import type { Db } from './sql-client.ts';
import { sql } from './sql.ts';
import { missingProject } from './projects.ts';
import { check, schemas, settingJson } from './validation.ts';

/**
 * Small per-project settings stored as JSON text (TEXT in both dialects, so the SQL stays
 * common). Callers validate the parsed value with their own schema.
 */
export async function getSetting(db: Db, projectId: string, key: string): Promise<unknown> {
  const project = check(schemas.projectId, projectId);
  const settingKey = check(schemas.settingKey, key);
  const row = await db.first(
    sql`SELECT value FROM settings WHERE project_id = ${project} AND key = ${settingKey}`,
  );
  return row === undefined ? undefined : (JSON.parse(text(row, 'value')) as unknown);
}

export async function setSetting(db: Db, projectId: string, key: string, value: unknown): Promise<void> {
  const project = check(schemas.projectId, projectId);
  const settingKey = check(schemas.settingKey, key);
  const json = settingJson(value);
  await db.execute(
    sql`INSERT INTO settings (project_id, key, value, updated_at) VALUES (${project}, ${settingKey}, ${json}, ${db.now()})
        ON CONFLICT (project_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    { foreignKey: missingProject(project) },
  );
}

import { AppError, type Logger } from '@vigil/core';
import { MIGRATIONS, migrationSql, type Migration } from './migrations.ts';
import { int } from './rows.ts';
import { sql } from './sql.ts';
import type { Dialect, SqlExecutor } from './sql-client.ts';

/**
 * Applies the migrations a database has not seen yet. The caller runs this inside one
 * transaction that it holds exclusively (SQLite: BEGIN IMMEDIATE; Postgres: an advisory lock),
 * so two processes starting at once apply each migration exactly once, and a failure leaves
 * the schema as it was. Resolves to the ids applied by this call.
 */
export async function applyMigrations(
  tx: SqlExecutor,
  dialect: Dialect,
  nowMs: number,
  logger: Logger,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  await tx.exec(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       id INTEGER PRIMARY KEY,
       name TEXT NOT NULL,
       applied_at BIGINT NOT NULL
     )`,
  );
  const rows = await tx.query(sql`SELECT id FROM schema_migrations`);
  const applied = new Set(rows.map((row) => int(row, 'id')));
  const known = new Set(migrations.map((m) => m.id));
  const unknown = [...applied].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    // A newer server version migrated this database; running older code against a newer
    // schema usually works (migrations add), but say so in case it does not.
    logger.warn({ unknownMigrations: unknown }, 'config DB has migrations this version does not know');
  }
  const done: number[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    try {
      await tx.exec(migrationSql(migration, dialect));
    } catch (err) {
      throw new AppError('internal', `config DB migration ${migration.id} (${migration.name}) failed`, {
        cause: err,
      });
    }
    await tx.execute(
      sql`INSERT INTO schema_migrations (id, name, applied_at) VALUES (${migration.id}, ${migration.name}, ${nowMs})`,
    );
    logger.info({ migration: migration.id, dialect }, `config DB migration applied: ${migration.name}`);
    done.push(migration.id);
  }
  return done;
}

import type { Dialect } from './sql-client.ts';

/**
 * Schema versions of the config DB, applied in order and recorded in `schema_migrations`.
 * Append only: a released migration is never edited, because databases that already ran it
 * would not run it again. The SQL is the subset SQLite and Postgres share (TEXT, BIGINT,
 * CHECK, REFERENCES, ON CONFLICT); where a dialect needs its own text, `sql` holds one per
 * dialect, side by side. Times are BIGINT Unix milliseconds in both.
 */
export interface Migration {
  /** Increasing integer; the order of application. */
  id: number;
  /** What the migration does, for logs. */
  name: string;
  sql: string | Readonly<Record<Dialect, string>>;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'projects, api keys, users, sessions, read tokens, settings',
    sql: `
      CREATE TABLE projects (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );

      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        key_hash TEXT NOT NULL UNIQUE,
        prefix TEXT NOT NULL,
        description TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX api_keys_project_id ON api_keys (project_id);

      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('Admin', 'Editor', 'Viewer')),
        created_at BIGINT NOT NULL
      );

      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX sessions_user_id ON sessions (user_id);
      CREATE INDEX sessions_expires_at ON sessions (expires_at);

      -- A removed user's tokens go with it: access granted by someone who no longer has
      -- access should not outlive them.
      CREATE TABLE read_tokens (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        prefix TEXT NOT NULL,
        description TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('Admin', 'Editor', 'Viewer')),
        project_id TEXT REFERENCES projects (id) ON DELETE CASCADE,
        created_by TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at BIGINT NOT NULL,
        revoked_at BIGINT
      );

      CREATE TABLE settings (
        project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (project_id, key)
      );
    `,
  },
];

/** The SQL of a migration for one dialect. */
export function migrationSql(migration: Migration, dialect: Dialect): string {
  return typeof migration.sql === 'string' ? migration.sql : migration.sql[dialect];
}

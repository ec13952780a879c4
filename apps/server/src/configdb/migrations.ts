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
  {
    id: 2,
    name: 'notification integrations and their incident threads',
    sql: `
      -- One integration of each type per project. Flags are 0/1 INTEGERs (no common boolean
      -- type). Secrets are sealed by the server (AES-256-GCM) before they get here.
      CREATE TABLE integrations (
        project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        incidents INTEGER NOT NULL CHECK (incidents IN (0, 1)),
        deployments INTEGER NOT NULL CHECK (deployments IN (0, 1)),
        settings TEXT NOT NULL,
        sealed_secrets TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        last_success_at BIGINT,
        last_error TEXT,
        last_error_at BIGINT,
        PRIMARY KEY (project_id, type)
      );

      -- Where an incident's first message went (e.g. a Slack channel and ts), so later updates
      -- of the incident are posted as replies in its thread.
      CREATE TABLE integration_threads (
        project_id TEXT NOT NULL,
        type TEXT NOT NULL,
        incident_id TEXT NOT NULL,
        ref TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (project_id, type, incident_id),
        FOREIGN KEY (project_id, type) REFERENCES integrations (project_id, type) ON DELETE CASCADE
      );
    `,
  },
  {
    id: 3,
    name: 'SLO incidents, their evaluation state, and detected deployments',
    sql: `
      -- SLO incidents, upserted by id on every evaluation (packages/audit/src/slo/incidents.ts).
      -- body is JSON the config DB never reads: the timeline and, later, the root-cause analysis.
      CREATE TABLE incidents (
        project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        app_id TEXT NOT NULL,
        opened_at BIGINT NOT NULL,
        resolved_at BIGINT,
        severity TEXT NOT NULL CHECK (severity IN ('warning', 'critical')),
        worst_severity TEXT NOT NULL CHECK (worst_severity IN ('warning', 'critical')),
        body TEXT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (project_id, id)
      );
      CREATE INDEX incidents_project_id_opened_at ON incidents (project_id, opened_at);

      -- Where the incident state machine stopped for an application, so the next run resumes.
      CREATE TABLE incident_states (
        project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        app_id TEXT NOT NULL,
        state TEXT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (project_id, app_id)
      );

      -- Detected rollouts (packages/audit/src/deployments). notified_at stays NULL until a
      -- notification went out, so a restarted server does not announce a deployment twice.
      CREATE TABLE deployments (
        project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        app_id TEXT NOT NULL,
        started_at BIGINT NOT NULL,
        finished_at BIGINT,
        state TEXT NOT NULL CHECK (state IN ('in_progress', 'done')),
        body TEXT NOT NULL,
        notified_at BIGINT,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (project_id, id)
      );
      CREATE INDEX deployments_project_id_started_at ON deployments (project_id, started_at);
    `,
  },
];

/** The SQL of a migration for one dialect. */
export function migrationSql(migration: Migration, dialect: Dialect): string {
  return typeof migration.sql === 'string' ? migration.sql : migration.sql[dialect];
}

/**
 * Config DB: projects, ingestion API keys, users, sessions, read API tokens and settings, in
 * SQLite (default) or Postgres (VIGIL_PG_URL). Open it with {@link openConfigDb}.
 */
export type {
  ApiKeyInfo,
  ConfigDb,
  CreateApiKeyInput,
  CreateReadTokenInput,
  CreateUserInput,
  CreatedApiKey,
  CreatedReadToken,
  DeploymentState,
  EnsureAdminOptions,
  IncidentSeverity,
  IntegrationDelivery,
  OpenConfigDbOptions,
  Project,
  PutIntegrationInput,
  ReadTokenGrant,
  ReadTokenInfo,
  Role,
  Session,
  StoredDeployment,
  StoredIncident,
  StoredIntegration,
  TimeRangeQuery,
  UpsertDeploymentResult,
  User,
} from './config-db.ts';
export { ROLES } from './config-db.ts';
export { DEPLOYMENT_STATES, INCIDENT_SEVERITIES } from './config-db.ts';
export { openConfigDb } from './open-config-db.ts';
export { openSqliteConfigDb, SQLITE_FILE_NAME, type SqliteConfigDbOptions } from './sqlite-config-db.ts';
export { openPostgresConfigDb, type PostgresConfigDbOptions } from './postgres-config-db.ts';
export { BOOTSTRAP_KEY_DESCRIPTION } from './api-keys.ts';
export { API_KEY_PREFIX, READ_TOKEN_PREFIX } from './tokens.ts';

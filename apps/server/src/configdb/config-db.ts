import type { Logger } from '@vigil/core';

/** What a user or a read token may do; checked by the API layer, stored here. */
export type Role = 'Admin' | 'Editor' | 'Viewer';

/** All roles, most privileged first. */
export const ROLES: readonly Role[] = ['Admin', 'Editor', 'Viewer'];

/** A project groups telemetry; ingestion API keys select it. */
export interface Project {
  id: string;
  name: string;
  /** Unix milliseconds. */
  createdAt: number;
}

/** An ingestion API key as listed: the secret itself is never stored, only its hash. */
export interface ApiKeyInfo {
  id: string;
  projectId: string;
  /** The first characters of the key, so a user can tell keys apart in the UI. */
  prefix: string;
  description: string;
  createdAt: number;
}

/** A freshly created API key: the only time the plaintext `key` is available. */
export interface CreatedApiKey extends ApiKeyInfo {
  key: string;
}

/** A user account, without its password hash. */
export interface User {
  id: string;
  username: string;
  role: Role;
  createdAt: number;
}

/** A live session found by its token. */
export interface Session {
  user: User;
  /** Unix milliseconds after which the session is gone. */
  expiresAt: number;
}

/** What a read API token grants; `projectId` absent means every project. */
export interface ReadTokenGrant {
  id: string;
  role: Role;
  projectId?: string;
}

/** A read API token as listed (never its plaintext or hash). */
export interface ReadTokenInfo extends ReadTokenGrant {
  prefix: string;
  description: string;
  /** Id of the Admin who created it. */
  createdBy: string;
  createdAt: number;
  revokedAt?: number;
}

/** A freshly created read token: the only time the plaintext `token` is available. */
export interface CreatedReadToken extends ReadTokenInfo {
  token: string;
}

/** Input of {@link ConfigDb.createApiKey}. */
export interface CreateApiKeyInput {
  /** A key chosen by the operator; generated (`vk_…`) when absent. */
  key?: string;
  description: string;
}

/** Input of {@link ConfigDb.createUser}. */
export interface CreateUserInput {
  username: string;
  password: string;
  role: Role;
}

/** Input of {@link ConfigDb.createReadToken}. */
export interface CreateReadTokenInput {
  /** Id of the creating user, who must be an Admin. */
  createdBy: string;
  description: string;
  /** Defaults to Viewer. */
  role?: Role;
  /** Restricts the token to one project; every project when absent. */
  projectId?: string;
}

/** Options of {@link ConfigDb.ensureAdmin}. */
export interface EnsureAdminOptions {
  /** Overwrite the password (and restore the Admin role) of an existing user. */
  resetPassword?: boolean;
}

/**
 * A notification integration as stored. The config DB knows its flags and delivery status; what
 * `settings` mean is the notifications module's business, and `sealedSecrets` is ciphertext
 * that only the server's secret key opens (apps/server/src/secrets).
 */
export interface StoredIntegration {
  projectId: string;
  /** Integration type, e.g. `slack`; one integration per type and project. */
  type: string;
  enabled: boolean;
  /** Sends incident opened/resolved events. */
  incidents: boolean;
  /** Sends deployment events. */
  deployments: boolean;
  /** Settings that are not secret, as a JSON object. */
  settings: Record<string, unknown>;
  sealedSecrets: string;
  createdAt: number;
  updatedAt: number;
  lastSuccessAt?: number;
  /** The receiver's answer to the last delivery that failed for good. */
  lastError?: string;
  lastErrorAt?: number;
}

/** Input of {@link ConfigDb.putIntegration}; created or replaced whole, delivery status kept. */
export type PutIntegrationInput = Pick<
  StoredIntegration,
  'type' | 'enabled' | 'incidents' | 'deployments' | 'settings' | 'sealedSecrets'
>;

/** The final result of one delivery to an integration, for {@link ConfigDb.recordIntegrationDelivery}. */
export type IntegrationDelivery = { ok: true; atMs: number } | { ok: false; atMs: number; error: string };

/** How bad an SLO incident is; the burn-rate rule that fired decides. */
export type IncidentSeverity = 'warning' | 'critical';

/** The incident severities, mildest first. */
export const INCIDENT_SEVERITIES: readonly IncidentSeverity[] = ['warning', 'critical'];

/**
 * An SLO incident as stored: the columns the config DB filters and sorts on, plus a `body` it
 * keeps as JSON without reading (the timeline and, later, the root-cause analysis).
 */
export interface StoredIncident {
  /** `incidentId(appId, openedAtMs)` of the audit package: 16 hex characters (up to 64 accepted). */
  id: string;
  appId: string;
  /** Unix milliseconds. */
  openedAtMs: number;
  /** Unix milliseconds; null while the incident is open. */
  resolvedAtMs: number | null;
  severity: IncidentSeverity;
  /** The worst severity the incident reached. */
  worstSeverity: IncidentSeverity;
  /** Any JSON-serialisable value, at most 1 MiB as JSON. */
  body: unknown;
}

/**
 * A time range query of {@link ConfigDb.listIncidents} and {@link ConfigDb.listDeployments}:
 * what overlaps `[fromMs, toMs]` (an item still open or in progress overlaps everything after
 * its start), newest first.
 */
export interface TimeRangeQuery {
  /** Unix milliseconds, inclusive. */
  fromMs: number;
  /** Unix milliseconds, inclusive. */
  toMs: number;
  /** Only this application's items. */
  appId?: string;
  /** At most this many items; default 200, at most 1000. */
  limit?: number;
}

/** Where a detected deployment stands. */
export type DeploymentState = 'in_progress' | 'done';

/** The deployment states. */
export const DEPLOYMENT_STATES: readonly DeploymentState[] = ['in_progress', 'done'];

/** A detected deployment as stored; `body` (images, summary…) is JSON the config DB does not read. */
export interface StoredDeployment {
  /** E.g. `/k8s/shop/api@1795171200000`; at most 512 characters. */
  id: string;
  appId: string;
  /** Unix milliseconds. */
  startedAtMs: number;
  /** Unix milliseconds; null while in progress, set once done. */
  finishedAtMs: number | null;
  state: DeploymentState;
  /** Any JSON-serialisable value, at most 256 KiB as JSON. */
  body: unknown;
  /** When a notification about it was sent (Unix milliseconds); null before that. */
  notifiedAtMs: number | null;
}

/** The result of {@link ConfigDb.upsertDeployment}. */
export interface UpsertDeploymentResult {
  /** True when this call stored the deployment for the first time. */
  created: boolean;
}

/**
 * The configuration/state database: projects, ingestion keys, users, sessions, read tokens and
 * small per-project settings. SQLite in the data directory by default, Postgres when several
 * server replicas share state. Methods validate their input and throw AppError: `bad_request`
 * for invalid input, `conflict` for duplicates, `not_found` for missing references. Lookups by
 * secret (`find…`) never throw for malformed input; they return null.
 */
export interface ConfigDb {
  /** Creates the project if it does not exist; an existing project keeps its name. */
  ensureProject(id: string, name: string): Promise<Project>;
  getProject(id: string): Promise<Project | null>;
  listProjects(): Promise<Project[]>;
  /** Creates a project; `conflict` when the id is taken (see account-admin.ts). */
  createProject(id: string, name: string): Promise<Project>;
  /** Deletes a project and everything the config DB holds for it; `not_found` when missing. */
  deleteProject(id: string): Promise<void>;

  /** Stores a new ingestion key for the project; the plaintext is returned only here. */
  createApiKey(projectId: string, input: CreateApiKeyInput): Promise<CreatedApiKey>;
  /** Registers the bootstrap key (VIGIL_API_KEY); calling it again with the same key is a no-op. */
  ensureApiKey(projectId: string, key: string): Promise<ApiKeyInfo>;
  /** The project an ingestion key writes to, or null for an unknown key. */
  findProjectByApiKey(key: string): Promise<string | null>;
  listApiKeys(projectId: string): Promise<ApiKeyInfo[]>;
  /** Throws `not_found` when the project has no key with this id. */
  deleteApiKey(projectId: string, id: string): Promise<void>;

  /** Creates the bootstrap admin if missing; an existing user keeps its password unless reset. */
  ensureAdmin(username: string, password: string, options?: EnsureAdminOptions): Promise<User>;
  createUser(input: CreateUserInput): Promise<User>;
  /** The user when the password matches, otherwise null (also for an unknown username). */
  verifyPassword(username: string, password: string): Promise<User | null>;
  getUser(id: string): Promise<User | null>;
  listUsers(): Promise<User[]>;
  /** Changes a role; `conflict` when it would demote the last Admin. */
  setUserRole(id: string, role: Role): Promise<User>;
  /** Sets a password and ends the user's sessions except `keepSessionToken`'s. */
  setUserPassword(id: string, password: string, keepSessionToken?: string): Promise<User>;
  /** Deletes a user; `conflict` when it is the last Admin. */
  deleteUser(id: string): Promise<void>;

  /** Starts a session that lasts `ttlMs`; resolves to its token (returned only here). */
  createSession(userId: string, ttlMs: number): Promise<string>;
  /** The session for a token, or null when unknown or expired (an expired one is deleted). */
  findSession(token: string): Promise<Session | null>;
  deleteSession(token: string): Promise<void>;

  /** Creates a read API token (`vr_…`); the plaintext is returned only here. */
  createReadToken(input: CreateReadTokenInput): Promise<CreatedReadToken>;
  /** What a read token grants, or null when unknown or revoked. */
  findReadToken(token: string): Promise<ReadTokenGrant | null>;
  /** Revokes a token; revoking it again keeps the first revocation time. */
  revokeReadToken(id: string): Promise<void>;
  listReadTokens(): Promise<ReadTokenInfo[]>;

  /** A per-project setting parsed from JSON, or undefined when it was never set. */
  getSetting(projectId: string, key: string): Promise<unknown>;
  /** Stores a JSON-serialisable value, replacing any previous one. */
  setSetting(projectId: string, key: string, value: unknown): Promise<void>;

  /** The project's notification integrations, ordered by type. */
  listIntegrations(projectId: string): Promise<StoredIntegration[]>;
  getIntegration(projectId: string, type: string): Promise<StoredIntegration | null>;
  /** Creates or replaces the project's integration of `input.type`; keeps its delivery status. */
  putIntegration(projectId: string, input: PutIntegrationInput): Promise<StoredIntegration>;
  /** Throws `not_found` when the project has no integration of this type. */
  deleteIntegration(projectId: string, type: string): Promise<void>;
  /** Records a delivery's outcome; a no-op when the integration was deleted meanwhile. */
  recordIntegrationDelivery(projectId: string, type: string, delivery: IntegrationDelivery): Promise<void>;
  /** The reference saved for an incident's thread (opaque to the config DB), or null. */
  getIntegrationThread(projectId: string, type: string, incidentId: string): Promise<string | null>;
  /** Saves (or replaces) an incident's thread reference; removed with the integration. */
  setIntegrationThread(projectId: string, type: string, incidentId: string, ref: string): Promise<void>;
  deleteIntegrationThread(projectId: string, type: string, incidentId: string): Promise<void>;

  /** Stores an incident, replacing the one with the same id in the project. */
  upsertIncident(projectId: string, incident: StoredIncident): Promise<void>;
  getIncident(projectId: string, id: string): Promise<StoredIncident | null>;
  /** Incidents open at some time in `[fromMs, toMs]`, newest opened first. */
  listIncidents(projectId: string, query: TimeRangeQuery): Promise<StoredIncident[]>;
  /** The incident state machine's state for an application (JSON), or undefined before its first run. */
  getIncidentState(projectId: string, appId: string): Promise<unknown>;
  /** Stores the state (any JSON value, at most 64 KiB as JSON), replacing the previous one. */
  putIncidentState(projectId: string, appId: string, state: unknown): Promise<void>;

  /**
   * Stores a deployment, replacing the one with the same id, except that `notifiedAtMs` never
   * goes back: the later of the stored and the given time is kept, so re-detecting a deployment
   * does not make it look unannounced. Under concurrent calls exactly one sees `created: true`.
   */
  upsertDeployment(projectId: string, deployment: StoredDeployment): Promise<UpsertDeploymentResult>;
  /** Deployments in progress at some time in `[fromMs, toMs]`, newest started first. */
  listDeployments(projectId: string, query: TimeRangeQuery): Promise<StoredDeployment[]>;
  /**
   * Records that a notification about the deployment was sent at `atMs` (an earlier time never
   * replaces a later one). Throws `not_found` when the project has no such deployment.
   */
  markDeploymentNotified(projectId: string, id: string, atMs: number): Promise<void>;

  close(): Promise<void>;
}

/** Options of {@link openConfigDb}. */
export interface OpenConfigDbOptions {
  /** Data directory; the SQLite file is `<dataDir>/vigil.db`. */
  dataDir: string;
  /** Postgres connection URL (VIGIL_PG_URL); when set, Postgres is used instead of SQLite. */
  pgUrl?: string;
  /** Postgres schema to use (created if missing); tests give each run its own. Default `public`. */
  pgSchema?: string;
  logger?: Logger;
  /** Clock in Unix milliseconds; tests inject one to expire sessions without waiting. */
  now?: () => number;
}

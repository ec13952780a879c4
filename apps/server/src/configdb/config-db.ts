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

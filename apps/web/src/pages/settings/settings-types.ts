/**
 * The JSON the settings page reads and writes, typed as the server answers it
 * (apps/server/src/api: project-, user-, status-, auth-, settings-, notification-,
 * instrumentation- and aws-integration-routes.ts; settings-api.int.test.ts holds these types
 * against the real server), and the bodies it sends.
 */

/** What every settings tab gets: the project the page is set to. */
export interface TabProps {
  readonly project: string;
}

/** The project every unscoped request goes to (apps/server/src/bootstrap.ts); it cannot be deleted. */
export const DEFAULT_PROJECT = 'default';

/** A role of a user or read token. */
export type Role = 'Admin' | 'Editor' | 'Viewer';
/** The roles, most privileged first. */
export const ROLES: readonly Role[] = ['Admin', 'Editor', 'Viewer'];

/** The server's minimum password length, checked before sending so the common slip is caught early. */
export const MIN_PASSWORD_LENGTH = 8;

/** `GET /api/v1/projects` item. */
export interface Project {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
}

/** `GET /api/v1/projects/:project/api-keys` item: never the key itself. */
export interface ApiKeyInfo {
  readonly id: string;
  readonly projectId: string;
  readonly prefix: string;
  readonly description: string;
  readonly createdAt: number;
}

/** `POST /api/v1/projects/:project/api-keys`: the only answer carrying `key`. */
export interface CreatedApiKey extends ApiKeyInfo {
  readonly key: string;
}

/** `GET /api/v1/tokens` item. */
export interface ReadTokenInfo {
  readonly id: string;
  readonly role: Role;
  readonly projectId?: string;
  readonly prefix: string;
  readonly description: string;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly revokedAt?: number;
}

/** `POST /api/v1/tokens`: the only answer carrying `token`. */
export interface CreatedReadToken extends ReadTokenInfo {
  readonly token: string;
}

/** `GET /api/v1/users` item. */
export interface User {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  readonly createdAt: number;
}

/** `GET /api/v1/me`. */
export interface Me {
  readonly kind: 'user' | 'token' | 'anonymous';
  readonly id: string;
  readonly role: Role;
}

/** A threshold override of one check: `PUT /api/v1/inspections` takes a map of these. */
export interface ThresholdOverride {
  readonly warning?: number;
  readonly critical?: number;
  readonly disabled?: boolean;
}

/** A check's defaults in `GET /api/v1/inspections`. */
export interface CheckDefault {
  readonly report: string;
  readonly title: string;
  readonly unit: string;
  readonly warning: number;
  readonly critical?: number;
}

/** `GET /api/v1/inspections`. */
export interface InspectionsAnswer {
  readonly defaults: Readonly<Record<string, CheckDefault>>;
  readonly project: Readonly<Record<string, ThresholdOverride>>;
  readonly applications: Readonly<Record<string, Readonly<Record<string, ThresholdOverride>>>>;
}

/** One backend in `GET /api/v1/status`. */
export interface BackendStatus {
  readonly kind: string;
  readonly target?: string;
  readonly ok: boolean;
  readonly latencyMs: number;
  readonly error?: string;
}

/** The metrics cache in `GET /api/v1/status`. */
export type CacheStatus =
  | { readonly enabled: false }
  | { readonly enabled: true; readonly error: string }
  | {
      readonly enabled: true;
      readonly stepMs: number;
      readonly refreshMs: number;
      readonly maxLagMs: number | null;
      /** The last refresh: when, how long, points written, range queries run. */
      readonly lastRefresh: {
        readonly startedAtMs: number;
        readonly durationMs: number;
        readonly points: number;
        readonly queries: number;
      } | null;
      readonly backfillPending: number;
      readonly queries: number;
      readonly failingQueries: ReadonlyArray<{
        readonly id: string;
        readonly error: string | null;
        readonly atMs: number | null;
      }>;
    };

/** `GET /api/v1/status`. */
export interface StatusAnswer {
  readonly project: string;
  readonly configDb: BackendStatus;
  readonly telemetry: BackendStatus;
  readonly metrics: BackendStatus;
  readonly cache: CacheStatus;
}

/** `POST /api/v1/projects`. */
export interface NewProject {
  readonly id: string;
  readonly name: string;
}

/** `POST /api/v1/tokens`; without `projectId` the token reads every project. */
export interface NewReadToken {
  readonly description: string;
  readonly role: Role;
  readonly projectId?: string;
}

/** `POST /api/v1/users`. */
export interface NewUser {
  readonly username: string;
  readonly password: string;
  readonly role: Role;
}

/** `PUT /api/v1/users/:id`: either or both. */
export interface UserChange {
  readonly role?: Role;
  readonly password?: string;
}

/** An integration as `GET …/integrations` shows it: secrets masked (`••••abcd`). */
export interface IntegrationView {
  readonly type: string;
  readonly enabled: boolean;
  readonly incidents: boolean;
  readonly deployments: boolean;
  readonly config: Readonly<Record<string, unknown>>;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  readonly lastSuccessAtMs: number | null;
  readonly lastError: { readonly message: string; readonly atMs: number } | null;
  /** Why the stored secrets cannot be read (a changed VIGIL_SECRET_KEY). */
  readonly secretsError?: string;
}

/** `GET /api/v1/projects/:project/integrations`. */
export interface IntegrationsAnswer {
  readonly integrations: readonly IntegrationView[];
  /** Every integration type the server knows. */
  readonly types: readonly string[];
}

/** `PUT /api/v1/projects/:project/integrations/:type`. */
export interface IntegrationInput {
  readonly enabled: boolean;
  readonly incidents: boolean;
  readonly deployments: boolean;
  readonly config: Readonly<Record<string, unknown>>;
}

/** `POST …/integrations/:type/test` when the receiver accepted the test notification. */
export interface IntegrationTestAnswer {
  readonly ok: true;
  readonly attempts: number;
}

/** Tag filters of AWS discovery: tag name → value. */
export type TagFilters = Readonly<Record<string, string>>;

/** `GET /api/v1/integrations/aws`: never the secret. */
export interface AwsView {
  readonly configured: boolean;
  readonly region?: string;
  readonly accessKeyId?: string;
  readonly secretAccessKeySet: boolean;
  readonly rdsTagFilters: TagFilters;
  readonly elasticacheTagFilters: TagFilters;
}

/** `PUT /api/v1/integrations/aws`: without the secret, the stored one is kept. */
export interface AwsInput {
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey?: string;
  readonly rdsTagFilters: TagFilters;
  readonly elasticacheTagFilters: TagFilters;
}

/** `GET /api/v1/apps/<appId>/instrumentation`: whether a password is set, never the password. */
export interface InstrumentationView {
  readonly type?: string;
  readonly port?: number;
  readonly credentials: { readonly username?: string; readonly passwordSet: boolean };
  readonly params: Readonly<Record<string, string>>;
  readonly disabled: boolean;
}

/** `PUT /api/v1/apps/<appId>/instrumentation`: without `password`, the stored one is kept. */
export interface InstrumentationInput {
  readonly port?: number;
  readonly credentials: { readonly username: string; readonly password?: string };
  readonly disabled: boolean;
}

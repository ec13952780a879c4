/**
 * The JSON the settings page reads and writes, typed as the server answers it
 * (apps/server/src/api: project-, user-, status-, auth-, settings-, notification-,
 * instrumentation- and aws-integration-routes.ts), and the query keys the tabs share.
 */
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { apiSend } from '../../api/client.ts';

/** What every settings tab gets: the project the page is set to. */
export interface TabProps {
  readonly project: string;
}

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
      readonly lastRefresh: { readonly startedAtMs: number; readonly durationMs: number } | null;
      readonly backfillPending: number;
      readonly queries: number;
      readonly failingQueries: ReadonlyArray<{ readonly id: string; readonly error: string | null }>;
    };

/** `GET /api/v1/status`. */
export interface StatusAnswer {
  readonly project: string;
  readonly configDb: BackendStatus;
  readonly telemetry: BackendStatus;
  readonly metrics: BackendStatus;
  readonly cache: CacheStatus;
}

/** Query keys, so a write can invalidate exactly what it changed. */
export const keys = {
  me: ['me'] as const,
  projects: ['projects'] as const,
  apiKeys: (project: string) => ['api-keys', project] as const,
  tokens: ['tokens'] as const,
  users: ['users'] as const,
  inspections: (project: string) => ['inspections', project] as const,
  status: (project: string) => ['status', project] as const,
  integrations: (project: string) => ['integrations', project] as const,
  aws: (project: string) => ['aws', project] as const,
  instrumentation: (project: string, appId: string) => ['instrumentation', project, appId] as const,
};

/** A write that refreshes `invalidate` once it succeeded; its error stays on the mutation. */
export function useSend<TBody, TAnswer = unknown>(
  method: 'POST' | 'PUT' | 'DELETE',
  path: (body: TBody) => string,
  invalidate: QueryKey,
  toBody: (body: TBody) => unknown = (b) => b,
) {
  const client = useQueryClient();
  return useMutation<TAnswer, Error, TBody>({
    mutationFn: (body) =>
      apiSend<TAnswer>(method, path(body), method === 'DELETE' ? undefined : toBody(body)),
    onSuccess: () => client.invalidateQueries({ queryKey: invalidate }),
  });
}

/** A date for tables: local date and time to the minute. */
export function formatTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

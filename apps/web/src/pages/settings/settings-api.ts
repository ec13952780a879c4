/**
 * Every request the settings page sends: one typed function per endpoint, the only place its
 * path and body are written. The tabs call these; settings-api.int.test.ts calls the same ones
 * against the real server, so a path, body or answer that drifts from the server fails there.
 */
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { apiGet, apiSend, apiUrl } from '../../api/client.ts';
import type { ApplicationsOverview } from '../../api/types.ts';
import type {
  ApiKeyInfo,
  AwsInput,
  AwsView,
  CreatedApiKey,
  CreatedReadToken,
  InspectionsAnswer,
  InstrumentationInput,
  InstrumentationView,
  IntegrationInput,
  IntegrationsAnswer,
  IntegrationTestAnswer,
  IntegrationView,
  Me,
  NewProject,
  NewReadToken,
  NewUser,
  Project,
  ReadTokenInfo,
  StatusAnswer,
  ThresholdOverride,
  User,
  UserChange,
} from './settings-types.ts';

const segment = encodeURIComponent;
const apiKeysPath = (project: string): string => `/api/v1/projects/${segment(project)}/api-keys`;
const integrationPath = (project: string, type: string): string =>
  `/api/v1/projects/${segment(project)}/integrations/${segment(type)}`;
const instrumentationPath = (appId: string): string => `/api/v1/apps/${segment(appId)}/instrumentation`;

/** The settings endpoints, as the tabs call them. */
export const settingsApi = {
  me: () => apiGet<Me>('/api/v1/me'),

  projects: () => apiGet<{ projects: Project[] }>('/api/v1/projects'),
  createProject: (project: NewProject) => apiSend<Project>('POST', '/api/v1/projects', project),
  deleteProject: (id: string) => apiSend<void>('DELETE', `/api/v1/projects/${segment(id)}`),

  apiKeys: (project: string) => apiGet<{ keys: ApiKeyInfo[] }>(apiKeysPath(project)),
  createApiKey: (project: string, description: string) =>
    apiSend<CreatedApiKey>('POST', apiKeysPath(project), { description }),
  revokeApiKey: (project: string, id: string) =>
    apiSend<void>('DELETE', `${apiKeysPath(project)}/${segment(id)}`),

  readTokens: () => apiGet<{ tokens: ReadTokenInfo[] }>('/api/v1/tokens'),
  createReadToken: (token: NewReadToken) => apiSend<CreatedReadToken>('POST', '/api/v1/tokens', token),
  revokeReadToken: (id: string) => apiSend<void>('DELETE', `/api/v1/tokens/${segment(id)}`),

  users: () => apiGet<{ users: User[] }>('/api/v1/users'),
  createUser: (user: NewUser) => apiSend<User>('POST', '/api/v1/users', user),
  updateUser: (id: string, change: UserChange) =>
    apiSend<User>('PUT', `/api/v1/users/${segment(id)}`, change),
  deleteUser: (id: string) => apiSend<void>('DELETE', `/api/v1/users/${segment(id)}`),

  /** Applications seen in the last hour, for the databases the cluster agent may log in to. */
  applications: (project: string) =>
    apiGet<ApplicationsOverview>('/api/v1/overview/applications', { project }),
  instrumentation: (project: string, appId: string) =>
    apiGet<InstrumentationView>(instrumentationPath(appId), { project }),
  saveInstrumentation: (project: string, appId: string, input: InstrumentationInput) =>
    apiSend<InstrumentationView>('PUT', apiUrl(instrumentationPath(appId), { project }), input),

  integrations: (project: string) =>
    apiGet<IntegrationsAnswer>(`/api/v1/projects/${segment(project)}/integrations`),
  saveIntegration: (project: string, type: string, input: IntegrationInput) =>
    apiSend<IntegrationView>('PUT', integrationPath(project, type), input),
  deleteIntegration: (project: string, type: string) =>
    apiSend<void>('DELETE', integrationPath(project, type)),
  testIntegration: (project: string, type: string) =>
    apiSend<IntegrationTestAnswer>('POST', `${integrationPath(project, type)}/test`),

  aws: (project: string) => apiGet<AwsView>('/api/v1/integrations/aws', { project }),
  saveAws: (project: string, input: AwsInput) =>
    apiSend<AwsView>('PUT', apiUrl('/api/v1/integrations/aws', { project }), input),
  clearAws: (project: string) => apiSend<void>('DELETE', apiUrl('/api/v1/integrations/aws', { project })),

  inspections: (project: string) => apiGet<InspectionsAnswer>('/api/v1/inspections', { project }),
  /** Replaces the project-wide overrides; answers with what the server kept. */
  saveInspections: (project: string, overrides: Readonly<Record<string, ThresholdOverride>>) =>
    apiSend<Record<string, ThresholdOverride>>('PUT', apiUrl('/api/v1/inspections', { project }), overrides),

  status: (project: string) => apiGet<StatusAnswer>('/api/v1/status', { project }),
};

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
  applications: (project: string) => ['settings', 'applications', project] as const,
  instrumentation: (project: string, appId: string) => ['instrumentation', project, appId] as const,
};

/** A write through `send` that refreshes `invalidate` once it succeeded; its error stays on the mutation. */
export function useSend<TArg, TAnswer = unknown>(
  send: (arg: TArg) => Promise<TAnswer>,
  invalidate: QueryKey,
) {
  const client = useQueryClient();
  return useMutation<TAnswer, Error, TArg>({
    mutationFn: send,
    onSuccess: () => client.invalidateQueries({ queryKey: invalidate }),
  });
}

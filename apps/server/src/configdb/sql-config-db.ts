import * as accounts from './account-admin.ts';
import * as apiKeys from './api-keys.ts';
import type {
  ApiKeyInfo,
  ConfigDb,
  CreateApiKeyInput,
  CreateReadTokenInput,
  CreateUserInput,
  CreatedApiKey,
  CreatedReadToken,
  EnsureAdminOptions,
  IntegrationDelivery,
  Project,
  PutIntegrationInput,
  Role,
  ReadTokenGrant,
  ReadTokenInfo,
  Session,
  StoredDeployment,
  StoredIncident,
  StoredIntegration,
  TimeRangeQuery,
  UpsertDeploymentResult,
  User,
} from './config-db.ts';
import * as deployments from './deployments.ts';
import * as incidents from './incidents.ts';
import * as integrations from './integrations.ts';
import * as projects from './projects.ts';
import * as readTokens from './read-tokens.ts';
import * as sessions from './sessions.ts';
import * as settings from './settings.ts';
import type { Db } from './sql-client.ts';
import * as users from './users.ts';

/**
 * The ConfigDb behaviour, written once over a dialect's {@link Db}. The SQLite and Postgres
 * implementations differ only in their SqlClient (placeholders, error codes, transactions for
 * migrations), so both pass the same contract tests by construction and cannot drift apart.
 */
export class SqlConfigDb implements ConfigDb {
  private closed = false;

  constructor(private readonly db: Db) {}

  ensureProject(id: string, name: string): Promise<Project> {
    return projects.ensureProject(this.db, id, name);
  }
  getProject(id: string): Promise<Project | null> {
    return projects.getProject(this.db, id);
  }
  listProjects(): Promise<Project[]> {
    return projects.listProjects(this.db);
  }
  createProject(id: string, name: string): Promise<Project> {
    return accounts.createProject(this.db, id, name);
  }
  deleteProject(id: string): Promise<void> {
    return accounts.deleteProject(this.db, id);
  }

  createApiKey(projectId: string, input: CreateApiKeyInput): Promise<CreatedApiKey> {
    return apiKeys.createApiKey(this.db, projectId, input);
  }
  ensureApiKey(projectId: string, key: string): Promise<ApiKeyInfo> {
    return apiKeys.ensureApiKey(this.db, projectId, key);
  }
  findProjectByApiKey(key: string): Promise<string | null> {
    return apiKeys.findProjectByApiKey(this.db, key);
  }
  listApiKeys(projectId: string): Promise<ApiKeyInfo[]> {
    return apiKeys.listApiKeys(this.db, projectId);
  }
  deleteApiKey(projectId: string, id: string): Promise<void> {
    return apiKeys.deleteApiKey(this.db, projectId, id);
  }

  ensureAdmin(username: string, password: string, options?: EnsureAdminOptions): Promise<User> {
    return users.ensureAdmin(this.db, username, password, options);
  }
  createUser(input: CreateUserInput): Promise<User> {
    return users.createUser(this.db, input);
  }
  verifyPassword(username: string, password: string): Promise<User | null> {
    return users.verifyPassword(this.db, username, password);
  }
  getUser(id: string): Promise<User | null> {
    return users.getUser(this.db, id);
  }
  listUsers(): Promise<User[]> {
    return users.listUsers(this.db);
  }
  setUserRole(id: string, role: Role): Promise<User> {
    return accounts.setUserRole(this.db, id, role);
  }
  setUserPassword(id: string, password: string, keepSessionToken?: string): Promise<User> {
    return accounts.setUserPassword(this.db, id, password, keepSessionToken);
  }
  deleteUser(id: string): Promise<void> {
    return accounts.deleteUser(this.db, id);
  }

  createSession(userId: string, ttlMs: number): Promise<string> {
    return sessions.createSession(this.db, userId, ttlMs);
  }
  findSession(token: string): Promise<Session | null> {
    return sessions.findSession(this.db, token);
  }
  deleteSession(token: string): Promise<void> {
    return sessions.deleteSession(this.db, token);
  }

  createReadToken(input: CreateReadTokenInput): Promise<CreatedReadToken> {
    return readTokens.createReadToken(this.db, input);
  }
  findReadToken(token: string): Promise<ReadTokenGrant | null> {
    return readTokens.findReadToken(this.db, token);
  }
  revokeReadToken(id: string): Promise<void> {
    return readTokens.revokeReadToken(this.db, id);
  }
  listReadTokens(): Promise<ReadTokenInfo[]> {
    return readTokens.listReadTokens(this.db);
  }

  getSetting(projectId: string, key: string): Promise<unknown> {
    return settings.getSetting(this.db, projectId, key);
  }
  setSetting(projectId: string, key: string, value: unknown): Promise<void> {
    return settings.setSetting(this.db, projectId, key, value);
  }

  listIntegrations(projectId: string): Promise<StoredIntegration[]> {
    return integrations.listIntegrations(this.db, projectId);
  }
  getIntegration(projectId: string, type: string): Promise<StoredIntegration | null> {
    return integrations.getIntegration(this.db, projectId, type);
  }
  putIntegration(projectId: string, input: PutIntegrationInput): Promise<StoredIntegration> {
    return integrations.putIntegration(this.db, projectId, input);
  }
  deleteIntegration(projectId: string, type: string): Promise<void> {
    return integrations.deleteIntegration(this.db, projectId, type);
  }
  recordIntegrationDelivery(projectId: string, type: string, delivery: IntegrationDelivery): Promise<void> {
    return integrations.recordIntegrationDelivery(this.db, projectId, type, delivery);
  }
  getIntegrationThread(projectId: string, type: string, incidentId: string): Promise<string | null> {
    return integrations.getIntegrationThread(this.db, projectId, type, incidentId);
  }
  setIntegrationThread(projectId: string, type: string, incidentId: string, ref: string): Promise<void> {
    return integrations.setIntegrationThread(this.db, projectId, type, incidentId, ref);
  }
  deleteIntegrationThread(projectId: string, type: string, incidentId: string): Promise<void> {
    return integrations.deleteIntegrationThread(this.db, projectId, type, incidentId);
  }

  upsertIncident(projectId: string, incident: StoredIncident): Promise<void> {
    return incidents.upsertIncident(this.db, projectId, incident);
  }
  getIncident(projectId: string, id: string): Promise<StoredIncident | null> {
    return incidents.getIncident(this.db, projectId, id);
  }
  listIncidents(projectId: string, query: TimeRangeQuery): Promise<StoredIncident[]> {
    return incidents.listIncidents(this.db, projectId, query);
  }
  getIncidentState(projectId: string, appId: string): Promise<unknown> {
    return incidents.getIncidentState(this.db, projectId, appId);
  }
  putIncidentState(projectId: string, appId: string, state: unknown): Promise<void> {
    return incidents.putIncidentState(this.db, projectId, appId, state);
  }

  upsertDeployment(projectId: string, deployment: StoredDeployment): Promise<UpsertDeploymentResult> {
    return deployments.upsertDeployment(this.db, projectId, deployment);
  }
  listDeployments(projectId: string, query: TimeRangeQuery): Promise<StoredDeployment[]> {
    return deployments.listDeployments(this.db, projectId, query);
  }
  markDeploymentNotified(projectId: string, id: string, atMs: number): Promise<void> {
    return deployments.markDeploymentNotified(this.db, projectId, id, atMs);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.close();
  }
}

import { z } from 'zod';
import { AppError, errorMessage } from '@vigil/core';
import type { ConfigDb, IntegrationDelivery, StoredIntegration } from '../configdb/index.ts';
import type { SecretBox } from '../secrets/index.ts';
import type { Subscription } from './event.ts';
import type { Integration, ThreadStore } from './integrations/definition.ts';
import { integrationOf } from './integrations/registry.ts';
import { maskedConfig, mergeSecrets, splitSecrets, type SecretValues } from './secret-fields.ts';

/** An integration as the API shows it: secrets masked, delivery status included. */
export interface IntegrationView extends Subscription {
  type: string;
  enabled: boolean;
  config: Record<string, unknown>;
  createdAtMs: number;
  updatedAtMs: number;
  lastSuccessAtMs: number | null;
  lastError: { message: string; atMs: number } | null;
  /** Why the stored secrets cannot be read (a changed VIGIL_SECRET_KEY); absent when they can. */
  secretsError?: string;
}

/** An integration ready to send: its config with secrets in clear, or why it cannot be used. */
export interface SendTarget extends Subscription {
  project: string;
  type: string;
  enabled: boolean;
  integration: Integration;
  config: Record<string, unknown>;
  /** Set when the secrets could not be opened; nothing is sent then. */
  error?: string;
}

const flag = (name: string) => z.boolean({ error: `${name} must be true or false` }).optional();

/** `PUT …/integrations/:type`: omitted flags and `config` keep their stored values. */
const putBody = z.strictObject({
  enabled: flag('enabled'),
  incidents: flag('incidents'),
  deployments: flag('deployments'),
  config: z.record(z.string(), z.unknown(), { error: 'config must be an object' }).optional(),
});

function parseBody(body: unknown): z.infer<typeof putBody> {
  // Checked apart: zod's object-level message would also replace its "Unrecognized key" one.
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
    throw new AppError(
      'bad_request',
      'the body must be a JSON object with enabled, incidents, deployments and config',
    );
  }
  const result = putBody.safeParse(body ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) =>
    i.path.length === 0 ? i.message : `${i.path.join('.')}: ${i.message}`,
  );
  throw new AppError('bad_request', problems.join('; '), { cause: result.error });
}

/**
 * Integrations of a project over the config DB, with secrets sealed by a {@link SecretBox}
 * before they are stored and masked whenever they are shown. The secrets of one integration are
 * sealed together, bound to the project and type.
 */
export class IntegrationService {
  constructor(
    private readonly db: ConfigDb,
    private readonly box: SecretBox,
  ) {}

  async list(project: string): Promise<IntegrationView[]> {
    await this.requireProject(project);
    return (await this.db.listIntegrations(project)).map((stored) => this.view(stored));
  }

  async get(project: string, type: string): Promise<IntegrationView> {
    return this.view(await this.stored(project, type));
  }

  /** Creates or updates the project's integration of `type` from an API body. */
  async put(project: string, type: string, body: unknown): Promise<IntegrationView> {
    const integration = integrationOf(type);
    const input = parseBody(body);
    await this.requireProject(project);
    const existing = await this.db.getIntegration(project, type);
    let stored: SecretValues = {};
    let unreadable: AppError | undefined;
    if (existing !== null) {
      try {
        stored = this.openSecrets(existing);
      } catch (err) {
        unreadable = err as AppError;
      }
    }
    let merged: Record<string, unknown>;
    try {
      merged = mergeSecrets(input.config ?? existing?.settings ?? {}, stored, integration.secretKeys);
      integration.validate(merged);
    } catch (err) {
      // Secrets sealed with another key cannot be kept; say so next to what is missing.
      if (unreadable === undefined) throw err;
      throw new AppError('bad_request', `${errorMessage(err)} (${unreadable.message})`, { cause: err });
    }
    const { settings, secrets } = splitSecrets(merged, integration.secretKeys);
    const saved = await this.db.putIntegration(project, {
      type,
      enabled: input.enabled ?? existing?.enabled ?? true,
      incidents: input.incidents ?? existing?.incidents ?? true,
      deployments: input.deployments ?? existing?.deployments ?? true,
      settings,
      sealedSecrets: this.box.seal(JSON.stringify(secrets), context(project, type)),
    });
    return this.view(saved);
  }

  async delete(project: string, type: string): Promise<void> {
    integrationOf(type);
    await this.db.deleteIntegration(project, type);
  }

  /** The project's integrations, decrypted for sending (disabled ones included, flagged). */
  async targets(project: string): Promise<SendTarget[]> {
    const stored = await this.db.listIntegrations(project);
    return stored.filter((s) => tryIntegration(s.type) !== undefined).map((s) => this.target(s));
  }

  /** One integration decrypted for sending; throws `not_found` or the decryption error. */
  async targetOf(project: string, type: string): Promise<SendTarget> {
    const target = this.target(await this.stored(project, type));
    if (target.error !== undefined) throw new AppError('internal', target.error, { expose: true });
    return target;
  }

  recordDelivery(project: string, type: string, delivery: IntegrationDelivery): Promise<void> {
    return this.db.recordIntegrationDelivery(project, type, delivery);
  }

  /** Thread references of one integration (Slack's per-incident message). */
  threads(project: string, type: string): ThreadStore {
    return {
      get: (incidentId) => this.db.getIntegrationThread(project, type, incidentId),
      set: (incidentId, ref) => this.db.setIntegrationThread(project, type, incidentId, ref),
      delete: (incidentId) => this.db.deleteIntegrationThread(project, type, incidentId),
    };
  }

  private async stored(project: string, type: string): Promise<StoredIntegration> {
    integrationOf(type);
    await this.requireProject(project);
    const stored = await this.db.getIntegration(project, type);
    if (stored === null) throw new AppError('not_found', `project "${project}" has no ${type} integration`);
    return stored;
  }

  private async requireProject(project: string): Promise<void> {
    if ((await this.db.getProject(project)) === null) {
      throw new AppError('not_found', `project "${project}" does not exist`);
    }
  }

  private openSecrets(stored: StoredIntegration): SecretValues {
    return JSON.parse(
      this.box.open(stored.sealedSecrets, context(stored.projectId, stored.type)),
    ) as SecretValues;
  }

  private target(stored: StoredIntegration): SendTarget {
    const base = {
      project: stored.projectId,
      type: stored.type,
      enabled: stored.enabled,
      incidents: stored.incidents,
      deployments: stored.deployments,
      integration: integrationOf(stored.type),
    };
    try {
      return { ...base, config: { ...stored.settings, ...this.openSecrets(stored) } };
    } catch (err) {
      return { ...base, config: stored.settings, error: errorMessage(err) };
    }
  }

  private view(stored: StoredIntegration): IntegrationView {
    let secrets: SecretValues = {};
    let secretsError: string | undefined;
    try {
      secrets = this.openSecrets(stored);
    } catch (err) {
      secretsError = errorMessage(err);
    }
    return {
      type: stored.type,
      enabled: stored.enabled,
      incidents: stored.incidents,
      deployments: stored.deployments,
      config: maskedConfig(stored.settings, secrets),
      createdAtMs: stored.createdAt,
      updatedAtMs: stored.updatedAt,
      lastSuccessAtMs: stored.lastSuccessAt ?? null,
      lastError:
        stored.lastError === undefined
          ? null
          : { message: stored.lastError, atMs: stored.lastErrorAt ?? stored.updatedAt },
      ...(secretsError === undefined ? {} : { secretsError }),
    };
  }
}

/** The additional authenticated data of an integration's sealed secrets; also names it in errors. */
function context(project: string, type: string): string {
  return `integration ${project}/${type}`;
}

function tryIntegration(type: string): Integration | undefined {
  try {
    return integrationOf(type);
  } catch {
    return undefined;
  }
}

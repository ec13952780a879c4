/**
 * A project's AWS integration: the region and access key the cluster agent discovers RDS and
 * ElastiCache with, and tag filters. The secret access key is sealed with the server's secret key
 * (bound to the project) and never shown again; the agent gets it, opened, in `/v1/config`'s
 * `aws_config`, in Coroot's shape. Stored as one config-DB setting per project.
 */
import { z } from 'zod';
import { AppError } from '@vigil/core';
import type { ConfigDb } from '../configdb/index.ts';
import { parseOrBadRequest } from '../model/project-settings.ts';
import type { SecretBox } from '../secrets/index.ts';

const KEY = 'aws';

// us-east-1, us-gov-west-1, cn-northwest-1, eu-isoe-west-1…
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
// AKIA… (user keys), ASIA… (temporary keys, which would expire unnoticed) and others: 16-128.
const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;

const tagFilters = z
  .record(
    z
      .string()
      .trim()
      .min(1, { error: 'a tag name is empty' })
      .max(128, { error: 'a tag name is longer than 128' }),
    z.string({ error: 'a tag value must be text' }).max(256, { error: 'a tag value is longer than 256' }),
    { error: 'tag filters must be an object of tag name to value' },
  )
  .refine((m) => Object.keys(m).length <= 50, { error: 'at most 50 tag filters' });

const inputSchema = z.strictObject(
  {
    region: z
      .string({ error: 'region is required' })
      .trim()
      .regex(REGION, { error: 'region must be an AWS region name, e.g. eu-west-1' }),
    accessKeyId: z.string({ error: 'accessKeyId is required' }).trim().regex(ACCESS_KEY_ID, {
      error: 'accessKeyId must be an AWS access key ID (AKIA…, 16-128 letters and digits)',
    }),
    secretAccessKey: z
      .string({ error: 'secretAccessKey must be text' })
      .min(1, { error: 'secretAccessKey is empty' })
      .max(256, { error: 'secretAccessKey is longer than 256' })
      .optional(),
    rdsTagFilters: tagFilters.optional(),
    elasticacheTagFilters: tagFilters.optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')}` : undefined,
  },
);

interface Stored {
  region: string;
  accessKeyId: string;
  sealedSecretAccessKey: string;
  rdsTagFilters?: Record<string, string>;
  elasticacheTagFilters?: Record<string, string>;
}

/** As the API shows it: whether the secret is set, never the secret. */
export interface AwsIntegrationView {
  readonly configured: boolean;
  readonly region?: string;
  readonly accessKeyId?: string;
  readonly secretAccessKeySet: boolean;
  readonly rdsTagFilters: Readonly<Record<string, string>>;
  readonly elasticacheTagFilters: Readonly<Record<string, string>>;
}

/** `aws_config` of `/v1/config`: Coroot's `IntegrationAWS`, which its cluster agent reads too. */
export interface AgentAwsConfig {
  readonly region: string;
  readonly access_key_id: string;
  readonly secret_access_key: string;
  readonly rds_tag_filters: Readonly<Record<string, string>> | null;
  readonly elasticache_tag_filters: Readonly<Record<string, string>> | null;
}

export class AwsSettings {
  constructor(
    private readonly db: ConfigDb,
    private readonly box: SecretBox,
  ) {}

  async view(project: string): Promise<AwsIntegrationView> {
    const s = await this.#stored(project);
    if (!s)
      return { configured: false, secretAccessKeySet: false, rdsTagFilters: {}, elasticacheTagFilters: {} };
    return {
      configured: true,
      region: s.region,
      accessKeyId: s.accessKeyId,
      secretAccessKeySet: true,
      rdsTagFilters: s.rdsTagFilters ?? {},
      elasticacheTagFilters: s.elasticacheTagFilters ?? {},
    };
  }

  /**
   * Replaces the integration. The secret may be left out to keep the saved one — unless there is
   * none, or the access key ID changes (the old secret belongs to the old key).
   */
  async set(project: string, value: unknown): Promise<AwsIntegrationView> {
    const input = parseOrBadRequest(inputSchema, value, 'AWS integration');
    const before = await this.#stored(project);
    let sealed: string;
    if (input.secretAccessKey !== undefined) sealed = this.box.seal(input.secretAccessKey, context(project));
    else if (before && before.accessKeyId === input.accessKeyId) sealed = before.sealedSecretAccessKey;
    else
      throw new AppError(
        'bad_request',
        before
          ? 'invalid AWS integration: secretAccessKey is required when accessKeyId changes'
          : 'invalid AWS integration: secretAccessKey is required',
      );
    const stored: Stored = {
      region: input.region,
      accessKeyId: input.accessKeyId,
      sealedSecretAccessKey: sealed,
      ...(input.rdsTagFilters ? { rdsTagFilters: input.rdsTagFilters } : {}),
      ...(input.elasticacheTagFilters ? { elasticacheTagFilters: input.elasticacheTagFilters } : {}),
    };
    await this.db.setSetting(project, KEY, stored);
    return this.view(project);
  }

  async clear(project: string): Promise<void> {
    await this.db.setSetting(project, KEY, null);
  }

  /** For `/v1/config`: the secret opened; null when not configured. Throws when it cannot be opened. */
  async forAgent(project: string): Promise<AgentAwsConfig | null> {
    const s = await this.#stored(project);
    if (!s) return null;
    const filters = (m: Record<string, string> | undefined) => (m && Object.keys(m).length > 0 ? m : null);
    return {
      region: s.region,
      access_key_id: s.accessKeyId,
      secret_access_key: this.box.open(s.sealedSecretAccessKey, context(project)),
      rds_tag_filters: filters(s.rdsTagFilters),
      elasticache_tag_filters: filters(s.elasticacheTagFilters),
    };
  }

  async #stored(project: string): Promise<Stored | undefined> {
    return ((await this.db.getSetting(project, KEY)) ?? undefined) as Stored | undefined;
  }
}

function context(project: string): string {
  return `project ${project} AWS integration`;
}

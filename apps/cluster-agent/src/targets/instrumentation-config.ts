/**
 * The server's answer to `GET /v1/config` (Coroot's contract, see coroot-compat.md):
 *
 * ```json
 * { "application_instrumentation": [
 *     { "type": "postgres", "host": "10.0.0.5", "port": "5432",
 *       "credentials": { "username": "coroot", "password": "…" },
 *       "params": { "sslmode": "disable" }, "instance": "/k8s/db/pg-0/postgres" } ],
 *   "aws_config": { "region": "eu-west-1", "access_key_id": "AKIA…", "secret_access_key": "…",
 *                   "rds_tag_filters": { "env": "prod" }, "elasticache_tag_filters": null } }
 * ```
 *
 * Read leniently where Coroot is loose (a port as text or number, missing credentials) and
 * strictly where a mistake would send the agent somewhere wrong: an entry of an unknown type or
 * without a usable host and port is dropped and reported, the others are kept; an `aws_config`
 * without a region or keys is dropped and reported.
 */
import { z } from 'zod';
import { isAwsRegion, type AwsConfig } from '../aws/aws-config.ts';
import type { Target, TargetType } from '../collectors/target.ts';

const TYPES: readonly TargetType[] = ['postgres', 'mysql', 'redis', 'memcached', 'mongodb'];

const entrySchema = z.object({
  type: z.string(),
  host: z.string().min(1, { error: 'host is empty' }),
  port: z.union([z.number(), z.string()]).transform((p) => Number(p)),
  credentials: z.object({ username: z.string().optional(), password: z.string().optional() }).nullish(),
  params: z.record(z.string(), z.string()).nullish(),
  instance: z.string().nullish(),
});

// Coroot's `IntegrationAWS`; its UI saves an empty filter list as null.
const awsSchema = z.object({
  region: z
    .string({ error: 'region is missing' })
    .trim()
    .refine(isAwsRegion, { error: 'region is not an AWS region name' }),
  access_key_id: z
    .string({ error: 'access_key_id is missing' })
    .trim()
    .min(1, { error: 'access_key_id is empty' }),
  secret_access_key: z
    .string({ error: 'secret_access_key is missing' })
    .min(1, { error: 'secret_access_key is empty' }),
  rds_tag_filters: z.record(z.string(), z.string()).nullish(),
  elasticache_tag_filters: z.record(z.string(), z.string()).nullish(),
});

export interface ParsedConfig {
  readonly targets: Target[];
  /** AWS discovery as the server configured it; undefined: none (or unusable, see problems). */
  readonly aws: AwsConfig | undefined;
  /** One line per entry that was dropped, saying why. */
  readonly problems: string[];
}

/** The answer of `GET /v1/config`: targets and AWS configuration, each read on its own. */
export function parseInstrumentationConfig(body: unknown): ParsedConfig {
  const aws = parseAwsConfig((body as { aws_config?: unknown } | null)?.aws_config);
  const { targets, problems } = parseTargets(body);
  return { targets, aws: aws.config, problems: aws.problem ? [...problems, aws.problem] : problems };
}

/**
 * `aws_config`: null or absent means AWS is not configured. Keys are required: without them the
 * SDK would fall back to its default credential chain and probe instance metadata, which only an
 * operator of the agent may switch on (VIGIL_AWS_DISCOVERY=1).
 */
function parseAwsConfig(raw: unknown): { config?: AwsConfig; problem?: string } {
  if (raw === undefined || raw === null) return {};
  const parsed = awsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      problem: `aws_config: ${issue?.path.join('.') || 'aws_config'}: ${issue?.message ?? 'invalid'}`,
    };
  }
  const c = parsed.data;
  const filters = (m: Record<string, string> | null | undefined) =>
    m && Object.keys(m).length > 0 ? m : undefined;
  const rds = filters(c.rds_tag_filters);
  const elasticache = filters(c.elasticache_tag_filters);
  return {
    config: {
      region: c.region,
      accessKeyId: c.access_key_id,
      secretAccessKey: c.secret_access_key,
      ...(rds ? { rdsTagFilters: rds } : {}),
      ...(elasticache ? { elasticacheTagFilters: elasticache } : {}),
    },
  };
}

function parseTargets(body: unknown): { targets: Target[]; problems: string[] } {
  const list = (body as { application_instrumentation?: unknown } | null)?.application_instrumentation;
  if (list === undefined || list === null) return { targets: [], problems: [] };
  if (!Array.isArray(list)) return { targets: [], problems: ['application_instrumentation is not a list'] };
  const targets: Target[] = [];
  const problems: string[] = [];
  list.forEach((raw: unknown, i) => {
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      problems.push(`entry ${i}: ${issue?.path.join('.') || 'entry'}: ${issue?.message ?? 'invalid'}`);
      return;
    }
    const e = parsed.data;
    if (!TYPES.includes(e.type as TargetType)) {
      problems.push(`entry ${i}: type "${e.type}" is not one of ${TYPES.join(', ')}`);
      return;
    }
    if (!Number.isInteger(e.port) || e.port < 1 || e.port > 65535) {
      problems.push(`entry ${i}: port ${JSON.stringify((raw as { port?: unknown }).port)} is not 1-65535`);
      return;
    }
    targets.push({
      type: e.type as TargetType,
      host: e.host,
      port: e.port,
      ...(e.credentials ? { credentials: e.credentials } : {}),
      ...(e.params ? { params: e.params } : {}),
      ...(e.instance ? { instance: e.instance } : {}),
    });
  });
  return { targets, problems };
}

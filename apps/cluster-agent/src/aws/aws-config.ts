/**
 * What AWS discovery needs: a region, and either static keys (what the server's `/v1/config`
 * gives) or nothing, which means the SDK's default credential chain. That chain ends with the
 * instance metadata service, so it is used only when an operator turned it on explicitly
 * (`VIGIL_AWS_DISCOVERY=1`); discovery is off otherwise and nothing is probed.
 */

/** Where and how to discover RDS instances and ElastiCache clusters. */
export interface AwsConfig {
  region: string;
  /** With `secretAccessKey`: static credentials. Both absent: the SDK's default chain. */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Tag name → wanted value (`*` and `?` wildcards); an instance must match all of them. */
  rdsTagFilters?: Record<string, string>;
  elasticacheTagFilters?: Record<string, string>;
  /** Tests only: RDS, ElastiCache and CloudWatch Logs are all asked at this URL. */
  endpoint?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

// us-east-1, us-gov-west-1, cn-northwest-1, ap-southeast-4, eu-isoe-west-1…
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** Whether `region` looks like an AWS region name; a typo would only show as DNS errors. */
export function isAwsRegion(region: string): boolean {
  return REGION.test(region);
}

/**
 * AWS discovery configured in the environment: `VIGIL_AWS_DISCOVERY=1` turns it on with the
 * SDK's default credential chain (environment keys, profile, web identity, container or
 * instance role), in `VIGIL_AWS_REGION` (or `AWS_REGION`), filtered by `VIGIL_AWS_RDS_TAGS` and
 * `VIGIL_AWS_ELASTICACHE_TAGS` (`k=v,k2=v2`). Undefined: off. Throws a clear error on a bad
 * value, and when AWS settings are given without the switch, so that a half-configured agent
 * stops at start-up instead of silently discovering nothing.
 */
export function awsConfigFromEnv(env: Env): AwsConfig | undefined {
  const switchValue = env.VIGIL_AWS_DISCOVERY?.trim().toLowerCase() ?? '';
  const related = ['VIGIL_AWS_REGION', 'VIGIL_AWS_RDS_TAGS', 'VIGIL_AWS_ELASTICACHE_TAGS'].filter(
    (name) => (env[name] ?? '').trim() !== '',
  );
  if (switchValue === '') {
    if (related.length === 0) return undefined;
    throw new Error(
      `${related.join(', ')} set but VIGIL_AWS_DISCOVERY is not: set VIGIL_AWS_DISCOVERY=1 to ` +
        "discover RDS and ElastiCache with the SDK's default credentials, or configure AWS on the server",
    );
  }
  if (switchValue === '0' || switchValue === 'false') return undefined;
  if (switchValue !== '1' && switchValue !== 'true')
    throw new Error(`VIGIL_AWS_DISCOVERY must be 1 or 0, not "${env.VIGIL_AWS_DISCOVERY}"`);
  const region = (env.VIGIL_AWS_REGION || env.AWS_REGION || env.AWS_DEFAULT_REGION || '').trim();
  if (region === '') throw new Error('VIGIL_AWS_DISCOVERY=1 needs VIGIL_AWS_REGION (e.g. eu-west-1)');
  if (!isAwsRegion(region)) throw new Error(`VIGIL_AWS_REGION "${region}" is not an AWS region name`);
  const rds = parseTagFilters(env.VIGIL_AWS_RDS_TAGS, 'VIGIL_AWS_RDS_TAGS');
  const elasticache = parseTagFilters(env.VIGIL_AWS_ELASTICACHE_TAGS, 'VIGIL_AWS_ELASTICACHE_TAGS');
  return {
    region,
    ...(rds ? { rdsTagFilters: rds } : {}),
    ...(elasticache ? { elasticacheTagFilters: elasticache } : {}),
  };
}

/** `k=v,k2=v2` as a map; undefined when empty. Throws, naming `what`, on a malformed pair. */
export function parseTagFilters(text: string | undefined, what: string): Record<string, string> | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? '' : pair.slice(0, eq).trim();
    if (key === '') throw new Error(`${what}: "${pair.trim()}" is not key=value`);
    if (key in out) throw new Error(`${what}: tag "${key}" is given twice`);
    out[key] = pair.slice(eq + 1).trim();
  }
  return out;
}

/**
 * Whether `tags` satisfy every filter. A missing tag counts as the empty value, as in Coroot,
 * so `env=*` also keeps untagged resources while `env=?*` does not.
 */
export function tagsMatch(
  filters: Readonly<Record<string, string>> | undefined,
  tags: ReadonlyMap<string, string>,
): boolean {
  if (!filters) return true;
  return Object.entries(filters).every(([key, pattern]) => globToRegExp(pattern).test(tags.get(key) ?? ''));
}

function globToRegExp(pattern: string): RegExp {
  const body = [...pattern]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 's');
}

/** A config's identity: clients are rebuilt and discovered state dropped when it changes. */
export function awsConfigKey(config: AwsConfig): string {
  const sorted = (m: Record<string, string> | undefined) => (m ? Object.entries(m).sort() : null);
  return JSON.stringify([
    config.region,
    config.accessKeyId ?? null,
    config.secretAccessKey ?? null,
    sorted(config.rdsTagFilters),
    sorted(config.elasticacheTagFilters),
    config.endpoint ?? null,
  ]);
}

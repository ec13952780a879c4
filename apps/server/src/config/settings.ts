import { parseByteSize, parseDurationMs } from '@vigil/core';
import { ROLES, type Role } from '../configdb/index.ts';
import { parseListenAddress, type ListenAddress } from './listen-address.ts';

export type { Role };

/** Everything `vigil server` needs, validated. Built by `loadServerConfig`. */
export interface ServerConfig {
  dataDir: string;
  listen: ListenAddress;
  otlpGrpcListen: ListenAddress;
  otlpHttpListen: ListenAddress;
  /** Unset: embedded chDB in the data directory. */
  clickhouseUrl: string | undefined;
  /** Database holding the default project's telemetry; unset: the URL's path, else `vigil`. */
  clickhouseDatabase: string | undefined;
  /** Unset: SQLite config DB in the data directory. */
  pgUrl: string | undefined;
  /** External Prometheus-compatible TSDB for metrics; unset: the embedded metric store. */
  prometheusUrl: string | undefined;
  prometheusUser: string | undefined;
  prometheusPassword: string | undefined;
  /** Extra headers sent to the backend, `Name=value` pairs separated by commas. */
  prometheusHeaders: Record<string, string>;
  /** Where remote write is forwarded; unset: `<prometheusUrl>/api/v1/write`. */
  prometheusRemoteWriteUrl: string | undefined;
  /** Bootstrap ingestion key of the default project; generated when unset. */
  apiKey: string | undefined;
  /** Bootstrap admin password; generated when unset. */
  adminPassword: string | undefined;
  /** Unset: login required. */
  anonymousRole: Role | undefined;
  /** Key of the secrets kept in the config DB (notification credentials); unset: a key file in the data dir. */
  secretKey: string | undefined;
  tracesTtlDays: number;
  logsTtlDays: number;
  profilesTtlDays: number;
  metricsTtlDays: number;
  /** Series whose index row the writer remembers; above the active series count, steady inserts write samples only. */
  metricsKnownSeries: number;
  /** 5-minute rollups of the embedded metric store, built in the background. */
  metricsRollups: boolean;
  /** Newest samples kept in memory for recent selects (0: none). */
  metricsRecentSamples: number;
  /** Largest request body accepted on the wire (compressed). */
  maxRequestBytes: number;
  /** Largest body after decompression. */
  maxDecompressedBytes: number;
  /** Records inserted per batch at most. */
  batchMaxItems: number;
  /** Metric samples per insert at most (metrics' own batching: rows are small, parts costly). */
  metricsBatchMaxSamples: number;
  /** Longest wait before a partial metrics batch is inserted. */
  metricsBatchMaxDelayMs: number;
  /** Metric samples waiting for insertion before requests get 429. */
  metricsBufferMaxSamples: number;
  /** A partial batch is inserted after this long. */
  batchMaxDelayMs: number;
  /** Records waiting for insertion at most, per signal; beyond it ingestion answers 429. */
  bufferMaxItems: number;
  /** Inserts per signal that may run at once. */
  insertConcurrency: number;
  /** How long a request that does not fit the full buffer waits for room before its 429. */
  ingestWaitMs: number;
  /** Records timestamped further than this in the future are rejected. */
  maxFutureSkewMs: number;
  sessionTtlMs: number;
  /** Longest a PromQL query may run. */
  queryTimeoutMs: number;
  /** Metrics cache (apps/server/src/metrics-cache): refresh loop on or off. */
  cacheEnabled: boolean;
  /** How often SLO incidents and deployments are evaluated. */
  incidentIntervalMs: number;
  /** Incidents and deployments older than this when the server starts are recorded, not announced. */
  incidentQuietHistoryMs: number;
  cacheTtlDays: number;
  /** How far back an empty cache is filled. */
  cacheBackfillMs: number;
  /** Evaluation step; unset: detected from the data (fallback 15 s). */
  cacheStepMs: number | undefined;
  /** Refresh interval; unset: the step. */
  cacheRefreshMs: number | undefined;
  logLevel: string;
}

type Parser<T> = (text: string) => T | { error: string };

/** One setting: where it comes from and how it is read. Aliases are Coroot's names. */
export interface SettingSpec<K extends keyof ServerConfig = keyof ServerConfig> {
  key: K;
  flag: string;
  env: readonly string[];
  yaml: string;
  description: string;
  default: ServerConfig[K] | undefined;
  parse: Parser<ServerConfig[K]>;
  secret?: boolean;
}

const str: Parser<string> = (t) => (t.trim() === '' ? { error: 'must not be empty' } : t.trim());
const optStr: Parser<string | undefined> = (t) => (t.trim() === '' ? undefined : t.trim());
const listen: Parser<ListenAddress> = (t) => {
  const r = parseListenAddress(t);
  return typeof r === 'string' ? { error: r } : r;
};
const headerList: Parser<Record<string, string>> = (t) => {
  const out: Record<string, string> = {};
  for (const part of t.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? '' : part.slice(0, eq).trim();
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) return { error: `"${part.trim()}" is not Name=value` };
    out[name] = part.slice(eq + 1).trim();
  }
  return out;
};
const bytes: Parser<number> = (t) => {
  const r = parseByteSize(t);
  return r === undefined ? { error: `"${t}" is not a size: expected e.g. 16MiB, 512KiB, 1048576` } : r;
};
const positiveInt: Parser<number> = (t) =>
  /^\d+$/.test(t.trim()) && Number(t) > 0 ? Number(t) : { error: `"${t}" is not a positive integer` };
const nonNegativeInt: Parser<number> = (t) =>
  /^\d+$/.test(t.trim()) && Number.isSafeInteger(Number(t))
    ? Number(t)
    : { error: `"${t}" is not a whole number (0 or more)` };
const durationMs: Parser<number> = (t) => {
  try {
    return parseDurationMs(t);
  } catch (e) {
    return { error: (e as Error).message };
  }
};
const ttlDays: Parser<number> = (t) => {
  const ms = durationMs(t);
  if (typeof ms !== 'number') return ms;
  if (ms < 86_400_000 || ms % 86_400_000 !== 0)
    return { error: `"${t}" must be a whole number of days, e.g. 7d` };
  return ms / 86_400_000;
};
const optDurationMs: Parser<number | undefined> = (t) => {
  if (t.trim() === '') return undefined;
  const ms = durationMs(t);
  if (typeof ms !== 'number') return ms;
  return ms >= 1000 && ms % 1000 === 0 ? ms : { error: `"${t}" must be whole seconds, at least 1s` };
};
const bool: Parser<boolean> = (t) => {
  const v = t.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return { error: `"${t}" is not true or false` };
};
const role: Parser<Role | undefined> = (t) => {
  const v = t.trim();
  if (v === '') return undefined;
  const match = ROLES.find((r) => r.toLowerCase() === v.toLowerCase());
  return match ?? { error: `"${t}" is not a role: expected Viewer, Editor or Admin` };
};
const dbName: Parser<string | undefined> = (t) =>
  /^[A-Za-z_][A-Za-z0-9_]*$/.test(t.trim()) ? t.trim() : { error: `"${t}" is not a valid database name` };
const url: Parser<string | undefined> = (t) => {
  if (t.trim() === '') return undefined;
  try {
    new URL(t.trim());
    return t.trim();
  } catch {
    return { error: `"${t}" is not a URL` };
  }
};

function spec<K extends keyof ServerConfig>(s: SettingSpec<K>): SettingSpec<K> {
  return s;
}

/** The single table of server settings: flags > environment > YAML > defaults. */
export const SERVER_SETTINGS = [
  spec({
    key: 'dataDir',
    flag: 'data-dir',
    env: ['VIGIL_DATA_DIR'],
    yaml: 'data_dir',
    description: 'data directory',
    default: './data',
    parse: str,
  }),
  spec({
    key: 'listen',
    flag: 'listen',
    env: ['VIGIL_LISTEN', 'LISTEN'],
    yaml: 'listen',
    description: 'UI, API and Coroot-compatible ingestion',
    default: { host: '', port: 8080 },
    parse: listen,
  }),
  spec({
    key: 'otlpGrpcListen',
    flag: 'otlp-grpc-listen',
    env: ['VIGIL_OTLP_GRPC_LISTEN'],
    yaml: 'otlp_grpc_listen',
    description: 'OTLP gRPC',
    default: { host: '', port: 4317 },
    parse: listen,
  }),
  spec({
    key: 'otlpHttpListen',
    flag: 'otlp-http-listen',
    env: ['VIGIL_OTLP_HTTP_LISTEN'],
    yaml: 'otlp_http_listen',
    description: 'OTLP HTTP',
    default: { host: '', port: 4318 },
    parse: listen,
  }),
  spec({
    key: 'clickhouseUrl',
    flag: 'clickhouse-url',
    env: ['VIGIL_CLICKHOUSE_URL'],
    yaml: 'clickhouse_url',
    description: 'ClickHouse HTTP URL (unset: embedded chDB)',
    default: undefined,
    parse: url,
    secret: true,
  }),
  spec({
    key: 'prometheusUrl',
    flag: 'prometheus-url',
    env: ['VIGIL_PROMETHEUS_URL'],
    yaml: 'prometheus_url',
    description: 'Prometheus-compatible TSDB for metrics (unset: embedded store)',
    default: undefined,
    parse: url,
  }),
  spec({
    key: 'prometheusUser',
    flag: 'prometheus-user',
    env: ['VIGIL_PROMETHEUS_USER'],
    yaml: 'prometheus_user',
    description: 'basic-auth user for the Prometheus backend',
    default: undefined,
    parse: optStr,
  }),
  spec({
    key: 'prometheusPassword',
    flag: 'prometheus-password',
    env: ['VIGIL_PROMETHEUS_PASSWORD'],
    yaml: 'prometheus_password',
    description: 'basic-auth password for the Prometheus backend',
    default: undefined,
    parse: optStr,
    secret: true,
  }),
  spec({
    key: 'prometheusHeaders',
    flag: 'prometheus-headers',
    env: ['VIGIL_PROMETHEUS_HEADERS'],
    yaml: 'prometheus_headers',
    description: 'extra headers for the Prometheus backend: Name=value,Name2=value2',
    default: {},
    parse: headerList,
    secret: true,
  }),
  spec({
    key: 'prometheusRemoteWriteUrl',
    flag: 'prometheus-remote-write-url',
    env: ['VIGIL_PROMETHEUS_REMOTE_WRITE_URL'],
    yaml: 'prometheus_remote_write_url',
    description: 'remote-write URL of the backend (default <prometheus-url>/api/v1/write)',
    default: undefined,
    parse: url,
  }),
  spec({
    key: 'clickhouseDatabase',
    flag: 'clickhouse-database',
    env: ['VIGIL_CLICKHOUSE_DATABASE'],
    yaml: 'clickhouse_database',
    description: 'ClickHouse database of the default project (default: the URL path, else vigil)',
    default: undefined,
    parse: dbName,
  }),
  spec({
    key: 'pgUrl',
    flag: 'pg-url',
    env: ['VIGIL_PG_URL', 'PG_CONNECTION_STRING'],
    yaml: 'pg_url',
    description: 'Postgres config DB (unset: SQLite)',
    default: undefined,
    parse: url,
    secret: true,
  }),
  spec({
    key: 'apiKey',
    flag: 'api-key',
    env: ['VIGIL_API_KEY'],
    yaml: 'api_key',
    description: 'ingestion key of the default project',
    default: undefined,
    parse: optStr,
    secret: true,
  }),
  spec({
    key: 'adminPassword',
    flag: 'admin-password',
    env: ['VIGIL_ADMIN_PASSWORD'],
    yaml: 'admin_password',
    description: 'bootstrap admin password',
    default: undefined,
    parse: optStr,
    secret: true,
  }),
  spec({
    key: 'secretKey',
    flag: 'secret-key',
    env: ['VIGIL_SECRET_KEY'],
    yaml: 'secret_key',
    description:
      'key (32 bytes, base64 or hex) sealing secrets in the config DB; unset: <data dir>/secret-key',
    default: undefined,
    parse: optStr,
    secret: true,
  }),
  spec({
    key: 'anonymousRole',
    flag: 'auth-anonymous-role',
    env: ['VIGIL_AUTH_ANONYMOUS_ROLE', 'AUTH_ANONYMOUS_ROLE'],
    yaml: 'auth_anonymous_role',
    description: 'role of users who are not logged in (unset: login required)',
    default: undefined,
    parse: role,
  }),
  spec({
    key: 'tracesTtlDays',
    flag: 'traces-ttl',
    env: ['VIGIL_TRACES_TTL', 'TRACES_TTL'],
    yaml: 'traces_ttl',
    description: 'traces retention',
    default: 7,
    parse: ttlDays,
  }),
  spec({
    key: 'logsTtlDays',
    flag: 'logs-ttl',
    env: ['VIGIL_LOGS_TTL', 'LOGS_TTL'],
    yaml: 'logs_ttl',
    description: 'logs retention',
    default: 7,
    parse: ttlDays,
  }),
  spec({
    key: 'profilesTtlDays',
    flag: 'profiles-ttl',
    env: ['VIGIL_PROFILES_TTL', 'PROFILES_TTL'],
    yaml: 'profiles_ttl',
    description: 'profiles retention',
    default: 7,
    parse: ttlDays,
  }),
  spec({
    key: 'metricsTtlDays',
    flag: 'metrics-ttl',
    env: ['VIGIL_METRICS_TTL', 'METRICS_TTL'],
    yaml: 'metrics_ttl',
    description: 'metrics retention (embedded store)',
    default: 7,
    parse: ttlDays,
  }),
  spec({
    key: 'metricsKnownSeries',
    flag: 'metrics-known-series',
    env: ['VIGIL_METRICS_KNOWN_SERIES'],
    yaml: 'metrics_known_series',
    description: 'series the metrics writer remembers (set above the active series)',
    default: 2_000_000,
    parse: positiveInt,
  }),
  spec({
    key: 'metricsRollups',
    flag: 'metrics-rollups',
    env: ['VIGIL_METRICS_ROLLUPS'],
    yaml: 'metrics_rollups',
    description: 'keep 5-minute rollups for long-range queries (true|false)',
    default: true,
    parse: bool,
  }),
  spec({
    key: 'metricsRecentSamples',
    flag: 'metrics-recent-samples',
    env: ['VIGIL_METRICS_RECENT_SAMPLES'],
    yaml: 'metrics_recent_samples',
    description: 'newest samples kept in memory for queries of the last hours (~20 bytes each; 0 = off)',
    default: 8_000_000,
    parse: nonNegativeInt,
  }),
  spec({
    key: 'maxRequestBytes',
    flag: 'max-request-size',
    env: ['VIGIL_MAX_REQUEST_SIZE'],
    yaml: 'max_request_size',
    description: 'largest request body on the wire',
    default: 16 * 1024 * 1024,
    parse: bytes,
  }),
  spec({
    key: 'maxDecompressedBytes',
    flag: 'max-decompressed-size',
    env: ['VIGIL_MAX_DECOMPRESSED_SIZE'],
    yaml: 'max_decompressed_size',
    description: 'largest request body after decompression',
    default: 64 * 1024 * 1024,
    parse: bytes,
  }),
  spec({
    key: 'batchMaxItems',
    flag: 'batch-max-items',
    env: ['VIGIL_BATCH_MAX_ITEMS'],
    yaml: 'batch_max_items',
    description: 'records per insert',
    default: 50_000,
    parse: positiveInt,
  }),
  spec({
    key: 'batchMaxDelayMs',
    flag: 'batch-max-delay',
    env: ['VIGIL_BATCH_MAX_DELAY'],
    yaml: 'batch_max_delay',
    description: 'longest wait before a partial batch is inserted',
    default: 500,
    parse: durationMs,
  }),
  spec({
    key: 'metricsBatchMaxSamples',
    flag: 'metrics-batch-max-samples',
    env: ['VIGIL_METRICS_BATCH_MAX_SAMPLES'],
    yaml: 'metrics_batch_max_samples',
    description: 'metric samples per insert',
    default: 500_000,
    parse: positiveInt,
  }),
  spec({
    key: 'metricsBatchMaxDelayMs',
    flag: 'metrics-batch-max-delay',
    env: ['VIGIL_METRICS_BATCH_MAX_DELAY'],
    yaml: 'metrics_batch_max_delay',
    description: 'longest wait before a partial metrics batch is inserted',
    default: 2000,
    parse: durationMs,
  }),
  spec({
    key: 'metricsBufferMaxSamples',
    flag: 'metrics-buffer-max-samples',
    env: ['VIGIL_METRICS_BUFFER_MAX_SAMPLES'],
    yaml: 'metrics_buffer_max_samples',
    description: 'metric samples waiting for insertion before 429',
    default: 1_000_000,
    parse: positiveInt,
  }),
  spec({
    key: 'bufferMaxItems',
    flag: 'buffer-max-items',
    env: ['VIGIL_BUFFER_MAX_ITEMS'],
    yaml: 'buffer_max_items',
    description: 'records waiting for insertion per signal before 429',
    default: 200_000,
    parse: positiveInt,
  }),
  spec({
    key: 'insertConcurrency',
    flag: 'insert-concurrency',
    env: ['VIGIL_INSERT_CONCURRENCY'],
    yaml: 'insert_concurrency',
    description:
      'inserts per signal running at once (1 saves ~30 MiB of peak memory, 2 gives ~20% more spans/s)',
    default: 2,
    parse: positiveInt,
  }),
  spec({
    key: 'ingestWaitMs',
    flag: 'ingest-wait',
    env: ['VIGIL_INGEST_WAIT'],
    yaml: 'ingest_wait',
    description: 'how long a request waits for room in a full buffer before 429',
    default: 2_000,
    parse: durationMs,
  }),
  spec({
    key: 'maxFutureSkewMs',
    flag: 'max-future-skew',
    env: ['VIGIL_MAX_FUTURE_SKEW'],
    yaml: 'max_future_skew',
    description: 'how far in the future a timestamp may be',
    default: 3_600_000,
    parse: durationMs,
  }),
  spec({
    key: 'sessionTtlMs',
    flag: 'session-ttl',
    env: ['VIGIL_SESSION_TTL'],
    yaml: 'session_ttl',
    description: 'login session lifetime',
    default: 7 * 86_400_000,
    parse: durationMs,
  }),
  spec({
    key: 'queryTimeoutMs',
    flag: 'query-timeout',
    env: ['VIGIL_QUERY_TIMEOUT'],
    yaml: 'query_timeout',
    description: 'longest a PromQL query may run',
    default: 120_000,
    parse: durationMs,
  }),
  spec({
    key: 'cacheEnabled',
    flag: 'cache-enabled',
    env: ['VIGIL_CACHE_ENABLED'],
    yaml: 'cache_enabled',
    description: 'keep the metrics cache fresh (true|false)',
    default: true,
    parse: bool,
  }),
  spec({
    key: 'incidentIntervalMs',
    flag: 'incident-interval',
    env: ['VIGIL_INCIDENT_INTERVAL'],
    yaml: 'incident_interval',
    description: 'how often SLO incidents and deployments are evaluated',
    default: 60_000,
    parse: durationMs,
  }),
  spec({
    key: 'incidentQuietHistoryMs',
    flag: 'incident-quiet-history',
    env: ['VIGIL_INCIDENT_QUIET_HISTORY'],
    yaml: 'incident_quiet_history',
    description: 'incidents and rollouts older than this at start-up are recorded without notifications',
    default: 600_000,
    parse: durationMs,
  }),
  spec({
    key: 'cacheTtlDays',
    flag: 'cache-ttl',
    env: ['VIGIL_CACHE_TTL', 'CACHE_TTL'],
    yaml: 'cache_ttl',
    description: 'metrics cache retention',
    default: 30,
    parse: ttlDays,
  }),
  spec({
    key: 'cacheBackfillMs',
    flag: 'cache-backfill',
    env: ['VIGIL_CACHE_BACKFILL'],
    yaml: 'cache_backfill',
    description: 'how far back an empty metrics cache is filled',
    default: 3_600_000,
    parse: durationMs,
  }),
  spec({
    key: 'cacheStepMs',
    flag: 'cache-step',
    env: ['VIGIL_CACHE_STEP'],
    yaml: 'cache_step',
    description: 'metrics cache step (unset: detected from the scrape interval)',
    default: undefined,
    parse: optDurationMs,
  }),
  spec({
    key: 'cacheRefreshMs',
    flag: 'cache-refresh',
    env: ['VIGIL_CACHE_REFRESH'],
    yaml: 'cache_refresh',
    description: 'metrics cache refresh interval (unset: the step)',
    default: undefined,
    parse: optDurationMs,
  }),
  spec({
    key: 'logLevel',
    flag: 'log-level',
    env: ['VIGIL_LOG_LEVEL', 'LOG_LEVEL'],
    yaml: 'log_level',
    description: 'trace|debug|info|warn|error',
    default: 'info',
    parse: (t) =>
      /^(trace|debug|info|warn|error|fatal|silent)$/.test(t.trim())
        ? t.trim()
        : { error: `"${t}" is not a log level` },
  }),
] as const;

/**
 * The three SDK clients discovery uses, built from one {@link AwsConfig}. Everything the SDK
 * would otherwise look up on its own that could reach the network is fixed here: the region is
 * given (no metadata lookup for it), `defaultsMode` is not `auto` (which probes the instance
 * metadata service), and static keys replace the default credential chain whenever they exist.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { RDSClient } from '@aws-sdk/client-rds';
import type { AwsConfig } from './aws-config.ts';

export interface AwsClients {
  readonly rds: RDSClient;
  readonly elasticache: ElastiCacheClient;
  readonly logs: CloudWatchLogsClient;
  /** Closes the clients' kept-alive sockets. */
  destroy(): void;
}

export function buildAwsClients(config: AwsConfig): AwsClients {
  const common = {
    region: config.region,
    // Undefined: the default chain, reached only when VIGIL_AWS_DISCOVERY=1 asked for it (the
    // server's config always carries keys, see targets/instrumentation-config.ts).
    ...(config.accessKeyId && config.secretAccessKey
      ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } }
      : {}),
    // The SDK reads these from ~/.aws/config too; `auto` there would probe instance metadata.
    defaultsMode: 'standard' as const,
    retryMode: 'standard',
    maxAttempts: 3,
    // A discovery round must end: a hung connection would otherwise hold it for minutes.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 },
    ...(config.endpoint
      ? { endpoint: config.endpoint, useFipsEndpoint: false, useDualstackEndpoint: false }
      : {}),
  };
  const rds = new RDSClient(common);
  const elasticache = new ElastiCacheClient(common);
  const logs = new CloudWatchLogsClient(common);
  return {
    rds,
    elasticache,
    logs,
    destroy() {
      rds.destroy();
      elasticache.destroy();
      logs.destroy();
    },
  };
}

/** `Code: message` of an SDK error (the service's error code), or the error's own message. */
export function awsErrorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const name = err.name && err.name !== 'Error' ? `${err.name}: ` : '';
  return `${name}${err.message || 'no message'}`;
}

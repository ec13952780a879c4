/**
 * AWS in the cluster agent: RDS instances and ElastiCache nodes discovered with the AWS SDK,
 * their series (Coroot's names), Enhanced Monitoring OS metrics from CloudWatch Logs, and RDS
 * Postgres/MySQL endpoints as database targets. Off unless configured by the server
 * (`aws_config` in `/v1/config`, static keys) or explicitly in the environment
 * (`VIGIL_AWS_DISCOVERY=1`, the SDK's default credential chain).
 */
export { awsConfigFromEnv, parseTagFilters, type AwsConfig } from './aws-config.ts';
export { startAwsDiscovery, type AwsDiscovery, type AwsDiscoveryOptions } from './aws-discovery.ts';
export type { RdsCredentialsLookup } from './rds-targets.ts';
export { rdsCredentialsFromEnv } from './rds-credentials.ts';

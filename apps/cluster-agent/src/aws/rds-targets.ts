/**
 * Discovered RDS instances as database targets for the collectors: Postgres and MySQL-compatible
 * engines with an endpoint, and only those someone gave credentials for (the master password is
 * not readable through the API, and collecting without credentials would only fail).
 */
import type { Target, TargetType } from '../collectors/target.ts';
import type { RdsInstance } from './rds-discovery.ts';

const ENGINE_TYPES: Readonly<Record<string, TargetType>> = {
  postgres: 'postgres',
  'aurora-postgresql': 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
  // Aurora MySQL 1 (5.6-compatible) still reports the bare "aurora".
  aurora: 'mysql',
  'aurora-mysql': 'mysql',
};

/** What the agent knows to log in with, by `rds_instance_id` (`<region>/<identifier>`) and engine. */
export type RdsCredentialsLookup = (
  rdsInstanceId: string,
  engine: string,
) => { username?: string; password?: string } | undefined;

export function rdsDatabaseTargets(
  instances: readonly RdsInstance[],
  credentialsFor: RdsCredentialsLookup,
): Target[] {
  const targets: Target[] = [];
  for (const i of instances) {
    const type = ENGINE_TYPES[i.engine];
    if (!type || !i.endpoint) continue;
    const credentials = credentialsFor(i.id, i.engine);
    if (!credentials) continue;
    targets.push({
      type,
      // The DNS name, not the address: it follows a Multi-AZ failover.
      host: i.endpoint.address,
      port: i.endpoint.port,
      credentials: {
        ...(credentials.username !== undefined ? { username: credentials.username } : {}),
        ...(credentials.password !== undefined ? { password: credentials.password } : {}),
      },
      instance: `/aws/rds/${i.id}`,
    });
  }
  return targets;
}

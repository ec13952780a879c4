/**
 * The database instances the cluster agent should collect from, read off the model: every
 * application whose detected type is a database (or whose saved instrumentation names one), each
 * of its instances listening on the type's port (or the saved port). The answer of `/v1/config`,
 * in Coroot's shape.
 */
import type { World } from '@vigil/model';
import type { DatabaseType, Instrumentation } from './instrumentation-settings.ts';

export const DEFAULT_PORTS: Readonly<Record<DatabaseType, number>> = {
  postgres: 5432,
  mysql: 3306,
  redis: 6379,
  mongodb: 27017,
  memcached: 11211,
};

/** Application types the node agent detects → the collector that reads them. */
const TYPE_OF: Readonly<Record<string, DatabaseType>> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
  mysqld: 'mysql',
  mariadb: 'mysql',
  mariadbd: 'mysql',
  redis: 'redis',
  valkey: 'redis',
  keydb: 'redis',
  dragonfly: 'redis',
  mongodb: 'mongodb',
  mongod: 'mongodb',
  memcached: 'memcached',
};

export interface ConfigEntry {
  readonly type: DatabaseType;
  readonly host: string;
  readonly port: string;
  readonly credentials: { readonly username: string; readonly password: string };
  readonly params: Readonly<Record<string, string>>;
  readonly instance: string;
}

export function databaseTargets(world: World, saved: ReadonlyMap<string, Instrumentation>): ConfigEntry[] {
  const nodeIp = new Map(world.nodes.map((n) => [n.name, n.ips[0]]));
  const out: ConfigEntry[] = [];
  for (const app of world.applications) {
    if (app.kind === 'external') continue;
    const conf = saved.get(app.id);
    if (conf?.disabled) continue;
    const type = conf?.type ?? app.types.map((t) => TYPE_OF[t]).find((t) => t !== undefined);
    if (!type) continue;
    const port = conf?.port ?? DEFAULT_PORTS[type];
    for (const instance of app.instances) {
      const listen = instance.listens.find((l) => l.endsWith(`:${port}`));
      if (!listen) continue;
      let host = listen.slice(0, listen.lastIndexOf(':')).replace(/^\[|\]$/g, '');
      // A wildcard listen is reached at the node's address.
      if (host === '0.0.0.0' || host === '::' || host === '') host = nodeIp.get(instance.node) ?? '';
      if (host === '') continue;
      out.push({
        type,
        host,
        port: String(port),
        credentials: { username: conf?.username ?? '', password: conf?.password ?? '' },
        params: conf?.params ?? {},
        instance: instance.id,
      });
    }
  }
  return out;
}

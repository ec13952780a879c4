/** The collectors the agent runs, by target type. */
import { createMemcachedCollector } from './memcached/memcached-collector.ts';
import { createMongoCollector } from './mongodb/index.ts';
import { createMysqlCollector } from './mysql/index.ts';
import { createPostgresCollector } from './postgres/index.ts';
import { createRedisCollector } from './redis/redis-collector.ts';
import type { CollectorRegistry } from './registry.ts';

export interface DefaultCollectorOptions {
  /**
   * How often the slower reads run — Postgres per-table statistics and schema snapshots, MySQL
   * schema snapshots (default 60 s; 0: every round).
   */
  readonly detailsIntervalMs?: number;
}

export function defaultCollectors(options: DefaultCollectorOptions = {}): CollectorRegistry {
  const details = options.detailsIntervalMs;
  return {
    postgres: (t) => createPostgresCollector(t, details === undefined ? {} : { detailsIntervalMs: details }),
    mysql: (t) => createMysqlCollector(t, details === undefined ? {} : { schemaIntervalMs: details }),
    redis: (t) => createRedisCollector(t),
    memcached: createMemcachedCollector,
    mongodb: (t) => createMongoCollector(t),
  };
}

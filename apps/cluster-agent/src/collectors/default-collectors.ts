/** The collectors the agent runs, by target type. */
import { createMemcachedCollector } from './memcached/memcached-collector.ts';
import { createMongoCollector } from './mongodb/index.ts';
import { createMysqlCollector } from './mysql/index.ts';
import { createPostgresCollector } from './postgres/index.ts';
import { createRedisCollector } from './redis/redis-collector.ts';
import type { CollectorRegistry } from './registry.ts';

export function defaultCollectors(): CollectorRegistry {
  return {
    postgres: (t) => createPostgresCollector(t),
    mysql: (t) => createMysqlCollector(t),
    redis: (t) => createRedisCollector(t),
    memcached: createMemcachedCollector,
    mongodb: (t) => createMongoCollector(t),
  };
}

/** The collectors the agent runs, by target type (MySQL and MongoDB are not written yet). */
import { createMemcachedCollector } from './memcached/memcached-collector.ts';
import { createPostgresCollector } from './postgres/index.ts';
import { createRedisCollector } from './redis/redis-collector.ts';
import type { CollectorRegistry } from './registry.ts';

export function defaultCollectors(): CollectorRegistry {
  return {
    postgres: (t) => createPostgresCollector(t),
    redis: (t) => createRedisCollector(t),
    memcached: createMemcachedCollector,
  };
}

export { createRedisCollector, type RedisCollectorOptions } from './redis-collector.ts';

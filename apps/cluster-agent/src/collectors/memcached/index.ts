export { createMemcachedCollector } from './memcached-collector.ts';

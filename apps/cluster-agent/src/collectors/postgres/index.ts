export { createPostgresCollector, type PostgresCollectorOptions } from './collector.ts';
export { obfuscateQuery, QUERY_LABEL_MAX_CHARS } from './obfuscate.ts';

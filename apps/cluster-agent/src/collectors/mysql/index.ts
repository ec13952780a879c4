export { createMysqlCollector, type MysqlCollectorOptions } from './collector.ts';
export { obfuscateMysqlQuery } from './obfuscate.ts';

export { createMongoCollector, type MongoCollectorOptions } from './mongodb-collector.ts';

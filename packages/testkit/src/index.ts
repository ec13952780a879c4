export * from './services.ts';
export * from './temp-dir.ts';
export * from './generators/telemetry.ts';
export * from './clickhouse-http/launcher.ts';
export * from './prometheus.ts';
export * from './peer-process.ts';
export * from './victoria-metrics.ts';
export * from './node-exporter.ts';
export { rng, int, type Random } from './generators/random.ts';

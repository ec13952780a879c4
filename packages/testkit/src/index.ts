export * from './services.ts';
export * from './temp-dir.ts';
export * from './generators/telemetry.ts';
export * from './clickhouse-http/launcher.ts';

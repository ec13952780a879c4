export * from './telemetry-api.ts';

export * from './telemetry-api.ts';
export * from './profiles-api.ts';

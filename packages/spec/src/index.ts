export * from './telemetry-api.ts';
export * from './profiles-api.ts';
export * from './incidents-api.ts';
export * from './model-api.ts';

/**
 * Health inspections, SLOs, incidents and root-cause analysis: pure functions over the model
 * (@vigil/model). Nothing here does I/O; the server runs them and stores what they decide.
 */
export * from './report.ts';
export * from './audit-app.ts';
export * from './inspections/thresholds.ts';
export { growthPercentPerHour } from './inspections/memory.ts';
export { patternsOf, type PatternCount } from './inspections/logs.ts';
export { DATABASES } from './inspections/databases.ts';
export * from './deployments/detect.ts';
export { deploymentsReport } from './deployments/deployments-report.ts';
export * from './slo/index.ts';
export * from './rca/index.ts';
export { RECENT_MS, desiredInstances } from './inspections/instances.ts';

/**
 * SLOs and SLO incidents: configuration (JSON and Kubernetes annotations), SLIs from the model,
 * multi-window burn rates, the incident state machine and the SLO report. Pure functions; the
 * server evaluates custom PromQL, stores incident state and sends notifications.
 */
export * from './slo-config.ts';
export * from './slo-annotations.ts';
export * from './sli.ts';
export * from './slo-signals.ts';
export * from './burn-rate.ts';
export * from './incidents.ts';
export * from './slo-report.ts';
export { sliceSeries, windowPoints } from './series-window.ts';

/**
 * The model of the system for a time window, built from the metrics cache: nodes, applications
 * with their instances, and the connections between them (the service map). Pure data plus the
 * builder; inspections over it live in @vigil/audit.
 */
export * from './time-series.ts';
export * from './world.ts';
export * from './node-network.ts';
export * from './queries.ts';
export * from './data-source.ts';
export * from './app-identity.ts';
export * from './destinations.ts';
export * from './l7-stats.ts';
export { stepIncreases } from './series-index.ts';
export * from './build-world.ts';
export * from './edges.ts';
export { annotationLabel, workloadAnnotations } from './workload-annotations.ts';
export { desiredReplicas } from './workload-replicas.ts';
export * from './service-map.ts';

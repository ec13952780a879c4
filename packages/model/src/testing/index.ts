export * from './promql-source.ts';

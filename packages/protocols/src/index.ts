export * from './otlp/records.ts';

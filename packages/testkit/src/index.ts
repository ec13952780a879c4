export * from './services.ts';
export * from './temp-dir.ts';

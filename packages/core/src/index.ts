export * from './errors.ts';
export * from './result.ts';
export * from './logger.ts';
export * from './duration.ts';
export * from './lifecycle.ts';
export * from './byte-size.ts';

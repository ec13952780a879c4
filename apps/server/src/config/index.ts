export * from './settings.ts';
export * from './load-config.ts';
export * from './listen-address.ts';

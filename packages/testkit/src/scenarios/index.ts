export * from './system.ts';
export * from './effects.ts';
export { simulate } from './simulate.ts';
export { NODE_NETWORK } from './node-series.ts';
export { SeriesWriter, type RawSeries } from './series-writer.ts';
export { shopSystem, SHOP } from './shop.ts';

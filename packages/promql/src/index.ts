export { parse } from './parser/parse.ts';
export { typeOf } from './parser/check.ts';
export { parseDuration } from './parser/literals.ts';
export { FUNCTIONS, type FunctionSignature } from './parser/functions.ts';
export type * from './parser/ast.ts';
export { documentedType, unwrapParens } from './parser/ast.ts';
export { Engine, type EngineOptions, type QueryOptions } from './eval/engine.ts';
export type {
  SeriesData,
  SeriesSource,
  SelectHints,
  SeriesWindows,
  WindowRequest,
} from './model/series-source.ts';
export { summarizeWindows } from './storage/summarize-windows.ts';
export type { InstantSample, QueryResult, ResultSeries } from './model/result.ts';
export { compareLabels, formatLabels, labelsOf, normalizeLabels, type Labels } from './model/labels.ts';
export { compileMatchers } from './model/matchers.ts';
export { MemorySeriesSource } from './storage/memory-source.ts';
export {
  stringifyPrometheusData,
  toPrometheusData,
  type PrometheusPoint,
  type PrometheusQueryData,
} from './format/prometheus-json.ts';
export { formatGoFloat, formatSampleValue, formatScalarValue } from './format/go-float.ts';
export { PromQLError, isPromQLError, type PromQLErrorType, type QueryPosition } from './errors.ts';
export {
  PrometheusClient,
  selectorText,
  type PrometheusClientOptions,
} from './http-client/prometheus-client.ts';
export { parseQueryData, parseSampleValue, type RawQueryData } from './http-client/parse-result.ts';

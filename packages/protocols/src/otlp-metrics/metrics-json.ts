/**
 * Decoder for OTLP/JSON metric exports (ExportMetricsServiceRequest in the proto3 JSON mapping),
 * converting through the same {@link SeriesBuilder} as the protobuf decoder, so the same request
 * in either encoding gives the same series.
 */
import { FieldPath } from '../field-path.ts';
import { anyValueString, readResourceJson, readScopeJson } from '../otlp/common-json.ts';
import {
  asArray,
  asEnum,
  asObject,
  asString,
  asUint32,
  field,
  jsonFail,
  parseJsonObject,
  requireObject,
  type JsonObject,
} from '../otlp/json-fields.ts';
import { jsonBool, jsonDouble, jsonInt64, jsonNanosToMs, jsonUint64 } from './json-values.ts';
import { AttributeList } from './label-set.ts';
import type { OtlpMetricsOptions, OtlpMetricsResult } from './result.ts';
import type { HistogramValues, MetricKind, SummaryValues } from './metric-model.ts';
import { SeriesBuilder } from './series-builder.ts';

/** The `data` oneof members: JSON name, proto name, kind. */
const DATA_FIELDS: readonly [string, string, MetricKind][] = [
  ['gauge', 'gauge', 'gauge'],
  ['sum', 'sum', 'sum'],
  ['histogram', 'histogram', 'histogram'],
  ['exponentialHistogram', 'exponential_histogram', 'exponentialHistogram'],
  ['summary', 'summary', 'summary'],
];

const TEMPORALITY_VALUES: ReadonlyMap<string, number> = new Map([
  ['AGGREGATION_TEMPORALITY_UNSPECIFIED', 0],
  ['AGGREGATION_TEMPORALITY_DELTA', 1],
  ['AGGREGATION_TEMPORALITY_CUMULATIVE', 2],
]);

const NO_RECORDED_VALUE = 1;

/**
 * Decodes an OTLP/JSON ExportMetricsServiceRequest, given as the body text or as the already
 * parsed document, and converts it like {@link decodeMetricsProtobuf}. Field names may be
 * lowerCamelCase or the proto names; 64-bit integers strings or numbers; enums numbers or names.
 *
 * @throws DecodeError (code 'bad_request') when the text is not JSON or a field has the wrong
 *   type; the message names the field path.
 */
export function decodeMetricsJson(body: string | object, options?: OtlpMetricsOptions): OtlpMetricsResult {
  const path = new FieldPath();
  const root = typeof body === 'string' ? parseJsonObject(body, path) : requireObject(body, path);
  const b = new SeriesBuilder(options);
  const attributes = new AttributeList();
  const resourceMetrics = asArray(
    field(root, 'resourceMetrics', 'resource_metrics'),
    path,
    'resourceMetrics',
  );
  for (let i = 0; i < resourceMetrics.length; i++) {
    path.push('resourceMetrics', i);
    const rm = requireObject(resourceMetrics[i], path);
    b.startResource(readResourceJson(rm, path));
    const scopeMetrics = asArray(field(rm, 'scopeMetrics', 'scope_metrics'), path, 'scopeMetrics');
    for (let j = 0; j < scopeMetrics.length; j++) {
      path.push('scopeMetrics', j);
      const sm = requireObject(scopeMetrics[j], path);
      const scope = readScopeJson(sm, path);
      const schemaUrl = asString(field(sm, 'schemaUrl', 'schema_url'), path, 'schemaUrl');
      b.startScope(scope.name, scope.version, schemaUrl, scope.attributes);
      const metrics = asArray(field(sm, 'metrics', 'metrics'), path, 'metrics');
      for (let k = 0; k < metrics.length; k++) {
        path.push('metrics', k);
        readMetric(requireObject(metrics[k], path), path, b, attributes);
        path.pop();
      }
      path.pop();
    }
    b.endResource();
    path.pop();
  }
  return b.finish();
}

function readMetric(metric: JsonObject, path: FieldPath, b: SeriesBuilder, attributes: AttributeList): void {
  let kind: MetricKind = 'none';
  let leaf = '';
  let data: JsonObject | undefined;
  for (const [camel, snake, dataKind] of DATA_FIELDS) {
    const value = asObject(field(metric, camel, snake), path, camel);
    if (value === undefined) continue;
    if (data !== undefined)
      jsonFail(path, `both ${leaf} and ${camel} are set; a metric has one kind of data`);
    data = value;
    kind = dataKind;
    leaf = camel;
  }
  const name = asString(field(metric, 'name', 'name'), path, 'name');
  const description = asString(field(metric, 'description', 'description'), path, 'description');
  const unit = asString(field(metric, 'unit', 'unit'), path, 'unit');
  if (data === undefined) {
    b.startMetric({ name, description, unit, kind, temporality: 0, monotonic: false });
    b.endMetric(0);
    return;
  }
  path.push(leaf);
  const temporality = asEnum(
    field(data, 'aggregationTemporality', 'aggregation_temporality'),
    TEMPORALITY_VALUES,
    path,
    'aggregationTemporality',
  );
  const monotonic = jsonBool(field(data, 'isMonotonic', 'is_monotonic'), path, 'isMonotonic');
  const points = asArray(field(data, 'dataPoints', 'data_points'), path, 'dataPoints');
  if (b.startMetric({ name, description, unit, kind, temporality, monotonic })) {
    const histogram = kind === 'histogram' ? newHistogram() : undefined;
    const summary = kind === 'summary' ? newSummary() : undefined;
    for (let i = 0; i < points.length; i++) {
      path.push('dataPoints', i);
      const point = requireObject(points[i], path);
      readAttributes(point, path, attributes);
      const timeMs = jsonNanosToMs(field(point, 'timeUnixNano', 'time_unix_nano'), path, 'timeUnixNano');
      const stale = (asUint32(field(point, 'flags', 'flags'), path, 'flags') & NO_RECORDED_VALUE) !== 0;
      const exemplars = asArray(field(point, 'exemplars', 'exemplars'), path, 'exemplars').length;
      if (exemplars > 0) b.dropExemplars(exemplars);
      if (histogram !== undefined)
        b.histogramPoint(attributes, timeMs, readHistogram(point, path, histogram), stale);
      else if (summary !== undefined)
        b.summaryPoint(attributes, timeMs, readSummary(point, path, summary), stale);
      else b.numberPoint(attributes, timeMs, readNumber(point, path), stale);
      path.pop();
    }
  }
  b.endMetric(points.length);
  path.pop();
}

function readAttributes(point: JsonObject, path: FieldPath, into: AttributeList): void {
  into.clear();
  const list = asArray(field(point, 'attributes', 'attributes'), path, 'attributes');
  for (let i = 0; i < list.length; i++) {
    path.push('attributes', i);
    const kv = requireObject(list[i], path);
    into.push(
      asString(field(kv, 'key', 'key'), path, 'key'),
      anyValueString(field(kv, 'value', 'value'), path, 'value'),
    );
    path.pop();
  }
}

function readNumber(point: JsonObject, path: FieldPath): number {
  const asInt = field(point, 'asInt', 'as_int');
  const asDouble = field(point, 'asDouble', 'as_double');
  if (asInt !== undefined && asDouble !== undefined) jsonFail(path, 'both asDouble and asInt are set');
  return asInt !== undefined ? jsonInt64(asInt, path, 'asInt') : jsonDouble(asDouble, path, 'asDouble');
}

const newHistogram = (): HistogramValues => ({
  count: 0,
  hasSum: false,
  sum: 0,
  bounds: [],
  boundCount: 0,
  bucketCounts: [],
  bucketCount: 0,
});

function readHistogram(point: JsonObject, path: FieldPath, h: HistogramValues): HistogramValues {
  h.count = jsonUint64(field(point, 'count', 'count'), path, 'count');
  const sum = field(point, 'sum', 'sum');
  h.hasSum = sum !== undefined;
  h.sum = jsonDouble(sum, path, 'sum');
  const counts = asArray(field(point, 'bucketCounts', 'bucket_counts'), path, 'bucketCounts');
  for (let i = 0; i < counts.length; i++)
    h.bucketCounts[i] = jsonUint64(counts[i], path, `bucketCounts[${i}]`);
  h.bucketCount = counts.length;
  const bounds = asArray(field(point, 'explicitBounds', 'explicit_bounds'), path, 'explicitBounds');
  for (let i = 0; i < bounds.length; i++) h.bounds[i] = jsonDouble(bounds[i], path, `explicitBounds[${i}]`);
  h.boundCount = bounds.length;
  return h;
}

const newSummary = (): SummaryValues => ({
  count: 0,
  sum: 0,
  quantiles: [],
  quantileValues: [],
  quantileCount: 0,
});

function readSummary(point: JsonObject, path: FieldPath, s: SummaryValues): SummaryValues {
  s.count = jsonUint64(field(point, 'count', 'count'), path, 'count');
  s.sum = jsonDouble(field(point, 'sum', 'sum'), path, 'sum');
  const quantiles = asArray(field(point, 'quantileValues', 'quantile_values'), path, 'quantileValues');
  for (let i = 0; i < quantiles.length; i++) {
    path.push('quantileValues', i);
    const q = requireObject(quantiles[i], path);
    s.quantiles[i] = jsonDouble(field(q, 'quantile', 'quantile'), path, 'quantile');
    s.quantileValues[i] = jsonDouble(field(q, 'value', 'value'), path, 'value');
    path.pop();
  }
  s.quantileCount = quantiles.length;
  return s;
}

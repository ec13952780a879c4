/**
 * Decoder for OTLP/protobuf metric exports (opentelemetry.proto.collector.metrics.v1
 * .ExportMetricsServiceRequest) straight into Prometheus series, reading the wire format without
 * building message objects. Field numbers are those of metrics.proto and metrics_service.proto
 * (opentelemetry-proto v1.x); the conversion itself is in series-builder.ts.
 */
import { ProtoReader, fieldTag, WireType } from '../protobuf/reader.ts';
import { readResource, readScope, type ScopeFields } from '../otlp/common-protobuf.ts';
import type { AttributeMap } from '../otlp/records.ts';
import { PointScratch, readHistogramPoint, readNumberPoint, readSummaryPoint } from './points-protobuf.ts';
import type { OtlpMetricsOptions, OtlpMetricsResult } from './result.ts';
import type { MetricKind } from './metric-model.ts';
import { SeriesBuilder } from './series-builder.ts';

const LEN = WireType.lengthDelimited;
const VARINT = WireType.varint;

const REQUEST_RESOURCE_METRICS = fieldTag(1, LEN);
const RESOURCE_METRICS_RESOURCE = fieldTag(1, LEN);
const RESOURCE_METRICS_SCOPE_METRICS = fieldTag(2, LEN);
const SCOPE_METRICS_SCOPE = fieldTag(1, LEN);
const SCOPE_METRICS_METRICS = fieldTag(2, LEN);
const SCOPE_METRICS_SCHEMA_URL = fieldTag(3, LEN);

const METRIC_NAME = fieldTag(1, LEN);
const METRIC_DESCRIPTION = fieldTag(2, LEN);
const METRIC_UNIT = fieldTag(3, LEN);
/** The `data` oneof: Gauge, Sum, Histogram, ExponentialHistogram, Summary. */
const DATA_KINDS = new Map<number, { kind: MetricKind; field: string }>([
  [fieldTag(5, LEN), { kind: 'gauge', field: 'gauge' }],
  [fieldTag(7, LEN), { kind: 'sum', field: 'sum' }],
  [fieldTag(9, LEN), { kind: 'histogram', field: 'histogram' }],
  [fieldTag(10, LEN), { kind: 'exponentialHistogram', field: 'exponentialHistogram' }],
  [fieldTag(11, LEN), { kind: 'summary', field: 'summary' }],
]);
/** data_points, aggregation_temporality and is_monotonic of the data messages. */
const DATA_POINTS = fieldTag(1, LEN);
const DATA_TEMPORALITY = fieldTag(2, VARINT);
const SUM_IS_MONOTONIC = fieldTag(3, VARINT);

/**
 * Decodes an OTLP/protobuf ExportMetricsServiceRequest and converts it to Prometheus series
 * (see {@link OtlpMetricsResult} for what is kept and what is rejected).
 *
 * @throws DecodeError (code 'bad_request') for malformed protobuf; the message names the field
 *   path and byte offset.
 */
export function decodeMetricsProtobuf(body: Uint8Array, options?: OtlpMetricsOptions): OtlpMetricsResult {
  const r = new ProtoReader(body);
  const b = new SeriesBuilder(options);
  const scratch = new PointScratch();
  let index = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === REQUEST_RESOURCE_METRICS) {
      r.path.push('resourceMetrics', index++);
      readResourceMetrics(r, b, scratch);
      r.path.pop();
    } else {
      r.skip(tag);
    }
  }
  return b.finish();
}

function readResourceMetrics(r: ProtoReader, b: SeriesBuilder, scratch: PointScratch): void {
  const outer = r.enter();
  const start = r.pos;
  // Fields may come in any order: the resource is read first (scope_metrics skipped by length).
  const attributes: AttributeMap = {};
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === RESOURCE_METRICS_RESOURCE) readResource(r, attributes);
    else r.skip(tag);
  }
  b.startResource(attributes);
  r.pos = start;
  let index = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === RESOURCE_METRICS_SCOPE_METRICS) {
      r.path.push('scopeMetrics', index++);
      readScopeMetrics(r, b, scratch);
      r.path.pop();
    } else {
      r.skip(tag);
    }
  }
  b.endResource();
  r.leave(outer);
}

function readScopeMetrics(r: ProtoReader, b: SeriesBuilder, scratch: PointScratch): void {
  const outer = r.enter();
  const start = r.pos;
  const scope: ScopeFields = { name: '', version: '', attributes: {} };
  let schemaUrl = '';
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === SCOPE_METRICS_SCOPE) readScope(r, scope);
    else if (tag === SCOPE_METRICS_SCHEMA_URL) schemaUrl = r.string();
    else r.skip(tag);
  }
  b.startScope(scope.name, scope.version, schemaUrl, scope.attributes);
  r.pos = start;
  let index = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === SCOPE_METRICS_METRICS) {
      r.path.push('metrics', index++);
      readMetric(r, b, scratch);
      r.path.pop();
    } else {
      r.skip(tag);
    }
  }
  r.leave(outer);
}

function readMetric(r: ProtoReader, b: SeriesBuilder, scratch: PointScratch): void {
  const outer = r.enter();
  const end = r.limit;
  let name = '';
  let description = '';
  let unit = '';
  // The data oneof (last one on the wire wins), located in a first pass and read once the
  // descriptor is known, since the name may follow it.
  let data: { kind: MetricKind; field: string } | undefined;
  let dataStart = 0;
  let dataEnd = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === METRIC_NAME) name = r.string();
    else if (tag === METRIC_DESCRIPTION) description = r.string();
    else if (tag === METRIC_UNIT) unit = r.string();
    else {
      const kind = DATA_KINDS.get(tag);
      if (kind === undefined) r.skip(tag);
      else {
        data = kind;
        dataStart = r.lengthDelimited();
        dataEnd = r.pos;
      }
    }
  }
  let temporality = 0;
  let monotonic = false;
  if (data !== undefined) {
    r.path.push(data.field);
    r.pos = dataStart;
    r.limit = dataEnd;
    while (r.pos < r.limit) {
      const tag = r.tag();
      if (tag === DATA_TEMPORALITY) temporality = r.int32();
      else if (tag === SUM_IS_MONOTONIC) monotonic = r.bool();
      else r.skip(tag);
    }
  }
  const kind = data?.kind ?? 'none';
  const accepted = b.startMetric({ name, description, unit, kind, temporality, monotonic });
  let points = 0;
  if (data !== undefined) {
    r.pos = dataStart;
    while (r.pos < r.limit) {
      const tag = r.tag();
      if (tag !== DATA_POINTS) r.skip(tag);
      else if (!accepted) {
        r.lengthDelimited();
        points++;
      } else {
        r.path.push('dataPoints', points++);
        if (kind === 'histogram') readHistogramPoint(r, b, scratch);
        else if (kind === 'summary') readSummaryPoint(r, b, scratch);
        else readNumberPoint(r, b, scratch);
        r.path.pop();
      }
    }
    r.path.pop();
  }
  b.endMetric(points);
  r.pos = end;
  r.limit = end;
  r.leave(outer);
}

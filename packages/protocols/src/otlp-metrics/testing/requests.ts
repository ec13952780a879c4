/**
 * Builders for OTLP/JSON-shaped ExportMetricsServiceRequest objects (encode with
 * otlp-proto.ts for protobuf, JSON.stringify for JSON), and readers for decoder output.
 */
import type { Label, MetricSeries } from '../../metrics/records.ts';

/** 2023-11-14T22:13:20.123456789Z: the ms timestamp it must become is {@link T0_MS}. */
export const T0 = '1700000000123456789';
export const T0_MS = 1_700_000_000_123;

type AttributeInput = string | number | boolean;

export function kv(key: string, value: AttributeInput): object {
  if (typeof value === 'string') return { key, value: { stringValue: value } };
  if (typeof value === 'boolean') return { key, value: { boolValue: value } };
  return Number.isInteger(value)
    ? { key, value: { intValue: String(value) } }
    : { key, value: { doubleValue: value } };
}

export const attributes = (map: Record<string, AttributeInput>): object[] =>
  Object.entries(map).map(([k, v]) => kv(k, v));

export interface ScopeInput {
  name?: string;
  version?: string;
  schemaUrl?: string;
  attributes?: Record<string, AttributeInput>;
  metrics: object[];
}

export interface ResourceInput {
  attributes: Record<string, AttributeInput>;
  scopes: ScopeInput[];
}

/** A request with the given resources and scopes. */
export function request(...resources: ResourceInput[]): object {
  return {
    resourceMetrics: resources.map((r) => ({
      resource: { attributes: attributes(r.attributes) },
      scopeMetrics: r.scopes.map((s) => ({
        scope: { name: s.name ?? '', version: s.version ?? '', attributes: attributes(s.attributes ?? {}) },
        schemaUrl: s.schemaUrl ?? '',
        metrics: s.metrics,
      })),
    })),
  };
}

/** One resource (service `svc`), one scope without name (no otel_scope_* labels), these metrics. */
export const simpleRequest = (...metrics: object[]): object =>
  request({ attributes: { 'service.name': 'svc' }, scopes: [{ metrics }] });

export const CUMULATIVE = 'AGGREGATION_TEMPORALITY_CUMULATIVE';
export const DELTA = 'AGGREGATION_TEMPORALITY_DELTA';

export const gaugeMetric = (name: string, points: object[], unit = ''): object => ({
  name,
  unit,
  gauge: { dataPoints: points },
});

export const sumMetric = (
  name: string,
  points: object[],
  opts: { unit?: string; monotonic?: boolean; temporality?: string } = {},
): object => ({
  name,
  unit: opts.unit ?? '',
  sum: {
    dataPoints: points,
    aggregationTemporality: opts.temporality ?? CUMULATIVE,
    isMonotonic: opts.monotonic ?? true,
  },
});

export const numberPoint = (
  value: number,
  attrs: Record<string, AttributeInput> = {},
  extra: object = {},
): object => ({
  attributes: attributes(attrs),
  timeUnixNano: T0,
  asDouble: value,
  ...extra,
});

/** Labels as a plain object, for readable expectations. */
export const labelsOf = (series: MetricSeries): Record<string, string> =>
  Object.fromEntries(series.labels.map((l: Label) => [l.name, l.value]));

/** The series named `name` (the `__name__` label), in output order. */
export const named = (series: readonly MetricSeries[], name: string): MetricSeries[] =>
  series.filter((s) => s.labels.some((l) => l.name === '__name__' && l.value === name));

/** A compact view of series: labels, timestamps, values, stale positions. */
export const summarize = (series: readonly MetricSeries[]): object[] =>
  series.map((s) => ({
    labels: labelsOf(s),
    timestampsMs: s.timestampsMs,
    values: s.values,
    ...(s.staleIndexes === undefined ? {} : { staleIndexes: s.staleIndexes }),
  }));

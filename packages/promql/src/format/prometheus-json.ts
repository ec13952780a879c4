import type { Labels } from '../model/labels.ts';
import type { QueryResult } from '../model/result.ts';
import { formatSampleValue, formatScalarValue } from './go-float.ts';

/** A `[seconds, "value"]` pair as in Prometheus's query API. */
export type PrometheusPoint = [number, string];

/** The `data` member of a Prometheus /api/v1/query or /query_range response. */
export type PrometheusQueryData =
  | { resultType: 'scalar' | 'string'; result: PrometheusPoint }
  | { resultType: 'vector'; result: { metric: Record<string, string>; value: PrometheusPoint }[] }
  | { resultType: 'matrix'; result: { metric: Record<string, string>; values: PrometheusPoint[] }[] };

function metricObject(labels: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of labels) out[l.name] = l.value;
  return out;
}

/**
 * Converts a result to Prometheus's JSON shape: times in seconds, values as strings written
 * exactly as Prometheus writes them (`"+Inf"`, `"NaN"`, `"1e-07"`, shortest round-trip digits;
 * scalars always in fixed notation).
 */
export function toPrometheusData(r: QueryResult): PrometheusQueryData {
  switch (r.resultType) {
    case 'scalar':
      return {
        resultType: 'scalar',
        result: [r.result.timestampMs / 1000, formatScalarValue(r.result.value)],
      };
    case 'string':
      return { resultType: 'string', result: [r.result.timestampMs / 1000, r.result.value] };
    case 'vector':
      return {
        resultType: 'vector',
        result: r.result.map((s) => ({
          metric: metricObject(s.metric),
          value: [s.timestampMs / 1000, formatSampleValue(s.value)],
        })),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: r.result.map((s) => ({
          metric: metricObject(s.metric),
          values: s.timestampsMs.map((t, i): PrometheusPoint => [t / 1000, formatSampleValue(s.values[i]!)]),
        })),
      };
  }
}

/** Go's encoding/json escapes these for HTML safety; Prometheus's output does too. */
function goJsonString(s: string): string {
  return JSON.stringify(s).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Prometheus's jsonutil.MarshalTimestamp: seconds with the milliseconds always as 3 digits. */
function sampleTimestamp(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  const fraction = abs % 1000;
  const seconds = (abs - fraction) / 1000;
  return fraction === 0 ? `${sign}${seconds}` : `${sign}${seconds}.${String(fraction).padStart(3, '0')}`;
}

function metricJson(labels: Labels): string {
  const sorted = [...labels].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return `{${sorted.map((l) => `${goJsonString(l.name)}:${goJsonString(l.value)}`).join(',')}}`;
}

/**
 * The `data` object as the exact JSON text Prometheus 2.42 writes, byte for byte (field order,
 * number formats, escaping), e.g. for an HTTP handler that must be indistinguishable.
 */
export function stringifyPrometheusData(r: QueryResult): string {
  switch (r.resultType) {
    case 'scalar':
      return `{"resultType":"scalar","result":[${JSON.stringify(r.result.timestampMs / 1000)},${goJsonString(formatScalarValue(r.result.value))}]}`;
    case 'string':
      return `{"resultType":"string","result":[${JSON.stringify(r.result.timestampMs / 1000)},${goJsonString(r.result.value)}]}`;
    case 'vector': {
      const items = r.result.map(
        (s) =>
          `{"metric":${metricJson(s.metric)},"value":[${sampleTimestamp(s.timestampMs)},"${formatSampleValue(s.value)}"]}`,
      );
      return `{"resultType":"vector","result":[${items.join(',')}]}`;
    }
    case 'matrix': {
      const items = r.result.map((s) => {
        const points = s.timestampsMs.map(
          (t, i) => `[${sampleTimestamp(t)},"${formatSampleValue(s.values[i]!)}"]`,
        );
        return `{"metric":${metricJson(s.metric)},"values":[${points.join(',')}]}`;
      });
      return `{"resultType":"matrix","result":[${items.join(',')}]}`;
    }
  }
}

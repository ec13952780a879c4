import type { PrometheusPoint, PrometheusQueryData } from '../format/prometheus-json.ts';

/**
 * Compares two query results in Prometheus's JSON shape: the same result type, the same series
 * (label sets), the same timestamps, and values equal within 1e-9 relative (1e-12 absolute near
 * zero; NaN equals NaN). Series order is compared only when `ordered` (sort functions);
 * otherwise results are matched by label set. Returns the differences, empty when equal.
 */
export function compareQueryData(
  expected: PrometheusQueryData,
  actual: PrometheusQueryData,
  ordered = false,
): string[] {
  if (expected.resultType !== actual.resultType) {
    return [`result type: expected ${expected.resultType}, got ${actual.resultType}`];
  }
  switch (expected.resultType) {
    case 'scalar':
    case 'string':
      return comparePoints(
        '',
        [expected.result],
        [actual.result as PrometheusPoint],
        expected.resultType === 'string',
      );
    case 'vector': {
      const a = actual as Extract<PrometheusQueryData, { resultType: 'vector' }>;
      return compareSeries(
        expected.result.map((s) => ({ metric: s.metric, points: [s.value] })),
        a.result.map((s) => ({ metric: s.metric, points: [s.value] })),
        ordered,
      );
    }
    case 'matrix': {
      const a = actual as Extract<PrometheusQueryData, { resultType: 'matrix' }>;
      return compareSeries(
        expected.result.map((s) => ({ metric: s.metric, points: s.values })),
        a.result.map((s) => ({ metric: s.metric, points: s.values })),
        ordered,
      );
    }
  }
}

interface SeriesPoints {
  metric: Record<string, string>;
  points: PrometheusPoint[];
}

function metricKey(metric: Record<string, string>): string {
  return JSON.stringify(Object.entries(metric).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function compareSeries(expected: SeriesPoints[], actual: SeriesPoints[], ordered: boolean): string[] {
  const diffs: string[] = [];
  const expectedKeys = expected.map((s) => metricKey(s.metric));
  const actualKeys = actual.map((s) => metricKey(s.metric));
  if (ordered && expectedKeys.join('\n') !== actualKeys.join('\n')) {
    diffs.push(`order: expected ${expectedKeys.join(' ')}, got ${actualKeys.join(' ')}`);
  }
  const actualByKey = new Map(actual.map((s, i) => [actualKeys[i]!, s]));
  const expectedSet = new Set(expectedKeys);
  expected.forEach((s, i) => {
    const key = expectedKeys[i]!;
    const other = actualByKey.get(key);
    if (other === undefined) diffs.push(`missing series ${key}`);
    else diffs.push(...comparePoints(key, s.points, other.points, false));
  });
  for (const key of actualKeys) if (!expectedSet.has(key)) diffs.push(`unexpected series ${key}`);
  return diffs;
}

function parseValue(v: string): number {
  if (v === '+Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  return Number(v);
}

/** Equal within 1e-9 relative, or 1e-12 absolute for results that cancel out to about zero. */
export function closeEnough(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  const diff = Math.abs(a - b);
  return diff <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) || diff <= 1e-12;
}

function comparePoints(
  key: string,
  expected: PrometheusPoint[],
  actual: PrometheusPoint[],
  exact: boolean,
): string[] {
  const diffs: string[] = [];
  if (expected.length !== actual.length) {
    const times = (ps: PrometheusPoint[]): string =>
      ps.length > 6
        ? `${ps
            .slice(0, 3)
            .map((p) => p[0])
            .join(',')}…${ps[ps.length - 1]![0]}`
        : ps.map((p) => p[0]).join(',');
    return [
      `${key}: expected ${expected.length} points (${times(expected)}), got ${actual.length} (${times(actual)})`,
    ];
  }
  for (let i = 0; i < expected.length; i++) {
    const [et, ev] = expected[i]!;
    const [at, av] = actual[i]!;
    if (Math.round(et * 1000) !== Math.round(at * 1000)) diffs.push(`${key}: time ${et} vs ${at}`);
    const equal = exact ? ev === av : closeEnough(parseValue(ev), parseValue(av));
    if (!equal) diffs.push(`${key} @${et}: expected ${ev}, got ${av}`);
    if (diffs.length > 5) break;
  }
  return diffs;
}

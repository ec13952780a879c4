import { PromQLError } from '../errors.ts';
import type { QueryResult } from '../model/result.ts';
import { normalizeLabels } from '../model/labels.ts';

type RawPoint = [number, string];

/** The `data` member of a Prometheus query response, as received. */
export type RawQueryData =
  | { resultType: 'scalar' | 'string'; result: RawPoint }
  | { resultType: 'vector'; result: { metric: Record<string, string>; value: RawPoint }[] }
  | { resultType: 'matrix'; result: { metric: Record<string, string>; values: RawPoint[] }[] };

/** Prometheus writes values as Go floats in strings: `"+Inf"`, `"-Inf"`, `"NaN"`, decimals. */
export function parseSampleValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  return Number(text);
}

const ms = (seconds: number): number => Math.round(seconds * 1000);
const labels = (metric: Record<string, string>) =>
  normalizeLabels(Object.entries(metric).map(([name, value]) => ({ name, value })));

/** Converts a backend's query `data` into the engine's result type (milliseconds, numbers). */
export function parseQueryData(data: RawQueryData): QueryResult {
  switch (data.resultType) {
    case 'scalar':
      return {
        resultType: 'scalar',
        result: { timestampMs: ms(data.result[0]), value: parseSampleValue(data.result[1]) },
      };
    case 'string':
      return { resultType: 'string', result: { timestampMs: ms(data.result[0]), value: data.result[1] } };
    case 'vector':
      return {
        resultType: 'vector',
        result: data.result.map((s) => ({
          metric: labels(s.metric),
          timestampMs: ms(s.value[0]),
          value: parseSampleValue(s.value[1]),
        })),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: data.result.map((s) => ({
          metric: labels(s.metric),
          timestampsMs: s.values.map((p) => ms(p[0])),
          values: s.values.map((p) => parseSampleValue(p[1])),
        })),
      };
    default:
      throw new PromQLError(
        'internal',
        `unknown resultType ${(data as { resultType: string }).resultType} from the backend`,
      );
  }
}

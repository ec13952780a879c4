import { describe, expect, it } from 'vitest';
import type { QueryResult } from '../model/result.ts';
import { stringifyPrometheusData, toPrometheusData } from './prometheus-json.ts';

const metric = [
  { name: '__name__', value: 'up' },
  { name: 'job', value: 'a<b>&c' },
];

describe('Prometheus query API JSON', () => {
  it.each<[QueryResult, string]>([
    [
      { resultType: 'vector', result: [{ metric, timestampMs: 1_700_000_000_500, value: 1e-7 }] },
      '{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"a\\u003cb\\u003e\\u0026c"},"value":[1700000000.500,"1e-07"]}]}',
    ],
    [
      {
        resultType: 'matrix',
        result: [{ metric: [], timestampsMs: [1000, 2005, 3050], values: [Infinity, NaN, -0] }],
      },
      '{"resultType":"matrix","result":[{"metric":{},"values":[[1,"+Inf"],[2.005,"NaN"],[3.050,"-0"]]}]}',
    ],
    [
      { resultType: 'scalar', result: { timestampMs: 1_700_000_000_500, value: 1e-7 } },
      '{"resultType":"scalar","result":[1700000000.5,"0.0000001"]}',
    ],
    [
      { resultType: 'string', result: { timestampMs: 1000, value: 'x"y' } },
      '{"resultType":"string","result":[1,"x\\"y"]}',
    ],
    [{ resultType: 'vector', result: [] }, '{"resultType":"vector","result":[]}'],
  ])('writes %j as Prometheus 2.42 does', (result, text) => {
    expect(stringifyPrometheusData(result)).toBe(text);
    expect(toPrometheusData(result)).toEqual(JSON.parse(text));
  });
});

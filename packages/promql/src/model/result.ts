import type { Labels } from './labels.ts';

/** One sample of an instant vector; `timestampMs` is the evaluation time. */
export interface InstantSample {
  readonly metric: Labels;
  readonly timestampMs: number;
  readonly value: number;
}

/** One series of a range vector or range-query result. */
export interface ResultSeries {
  readonly metric: Labels;
  readonly timestampsMs: number[];
  readonly values: number[];
}

/**
 * A query result, by Prometheus's result types. `format/prometheus-json.ts` turns it into the
 * `data` object of Prometheus's HTTP API (seconds, values as strings).
 */
export type QueryResult =
  | {
      readonly resultType: 'scalar';
      readonly result: { readonly timestampMs: number; readonly value: number };
    }
  | {
      readonly resultType: 'string';
      readonly result: { readonly timestampMs: number; readonly value: string };
    }
  | { readonly resultType: 'vector'; readonly result: InstantSample[] }
  | { readonly resultType: 'matrix'; readonly result: ResultSeries[] };

import { PromQLError, isPromQLError } from '../errors.ts';
import { compareLabels } from '../model/labels.ts';
import type { QueryResult, ResultSeries } from '../model/result.ts';
import type { SeriesSource } from '../model/series-source.ts';
import { documentedType, type Expr } from '../parser/ast.ts';
import { typeOf } from '../parser/check.ts';
import { parse } from '../parser/parse.ts';
import { Evaluator } from './evaluator.ts';
import { QueryLimits } from './limits.ts';
import { collectSelectors, fetchSelectors, type QueryFrame } from './plan.ts';
import { SubexpressionMemo } from './subexpression-memo.ts';
import { makeGrid, type Grid, type Value } from './values.ts';

export interface EngineOptions {
  /** How far back an instant selector looks for a sample (Prometheus: 5m). */
  readonly lookbackDeltaMs?: number;
  /** Samples a query may hold in memory (Prometheus --query.max-samples: 50M). */
  readonly maxSamples?: number;
  /** Deadline for a whole query, fetching included (Prometheus --query.timeout: 2m). */
  readonly timeoutMs?: number;
  /** Step of subqueries written without one (`[1h:]`); Prometheus uses the evaluation interval, 1m. */
  readonly defaultSubqueryStepMs?: number;
  /** Most steps a range query may have (Prometheus's HTTP API allows 11,000). */
  readonly maxStepsPerQuery?: number;
  /**
   * Keep the values of subexpressions for the engine's lifetime and reuse them in later queries
   * (subexpression-memo.ts). Only for an engine whose source answers the same selector with
   * the same data all along, e.g. one made for a batch of queries over one prefetch.
   */
  readonly shareSubexpressions?: boolean;
}

export interface QueryOptions {
  readonly signal?: AbortSignal;
}

/**
 * The PromQL engine: parses a query, fetches every selector's data once from the
 * {@link SeriesSource}, then evaluates with Prometheus 2.42 semantics.
 *
 *   const engine = new Engine(source);
 *   const r = await engine.rangeQuery('sum by (job) (rate(http_requests_total[5m]))', from, to, 15_000);
 */
export class Engine {
  private readonly lookbackMs: number;
  private readonly maxSamples: number;
  private readonly timeoutMs: number;
  private readonly subqueryStepMs: number;
  private readonly maxSteps: number;
  private readonly memo: SubexpressionMemo | undefined;

  constructor(
    private readonly source: SeriesSource,
    options: EngineOptions = {},
  ) {
    this.lookbackMs = options.lookbackDeltaMs ?? 300_000;
    this.maxSamples = options.maxSamples ?? 50_000_000;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.subqueryStepMs = options.defaultSubqueryStepMs ?? 60_000;
    this.maxSteps = options.maxStepsPerQuery ?? 11_000;
    this.memo = options.shareSubexpressions === true ? new SubexpressionMemo() : undefined;
  }

  /** Evaluates `query` at one time (Prometheus /api/v1/query). */
  async instantQuery(query: string | Expr, timeMs: number, options: QueryOptions = {}): Promise<QueryResult> {
    const expr = typeof query === 'string' ? parse(query) : query;
    const value = await this.run(expr, makeGrid(timeMs, timeMs, 1), 0, options);
    return instantResult(value, timeMs);
  }

  /** Evaluates `query` at start, start+step, … ≤ end (Prometheus /api/v1/query_range). */
  async rangeQuery(
    query: string | Expr,
    startMs: number,
    endMs: number,
    stepMs: number,
    options: QueryOptions = {},
  ): Promise<QueryResult> {
    if (endMs < startMs) throw new PromQLError('bad_data', 'end timestamp must not be before start time');
    if (!(stepMs > 0)) {
      throw new PromQLError(
        'bad_data',
        'zero or negative query resolution step widths are not accepted. Try a positive integer',
      );
    }
    if ((endMs - startMs) / stepMs > this.maxSteps) {
      throw new PromQLError(
        'bad_data',
        'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
      );
    }
    const expr = typeof query === 'string' ? parse(query) : query;
    const type = typeOf(expr);
    if (type !== 'vector' && type !== 'scalar') {
      throw new PromQLError(
        'bad_data',
        `invalid expression type "${documentedType(type)}" for range query, must be Scalar or instant Vector`,
      );
    }
    const grid = makeGrid(startMs, endMs, stepMs);
    return { resultType: 'matrix', result: rangeSeries(await this.run(expr, grid, stepMs, options), grid) };
  }

  /** `frameStepMs` is what selectors report as the query step: 0 for instant queries. */
  private async run(expr: Expr, grid: Grid, frameStepMs: number, options: QueryOptions): Promise<Value> {
    const deadlineMs = Date.now() + this.timeoutMs;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error('query timeout')), this.timeoutMs);
    const signal =
      options.signal === undefined ? timeout.signal : AbortSignal.any([options.signal, timeout.signal]);
    const frame: QueryFrame = {
      startMs: grid.startMs,
      endMs: grid.endMs,
      stepMs: frameStepMs,
      lookbackMs: this.lookbackMs,
      defaultSubqueryStepMs: this.subqueryStepMs,
    };
    const limits = new QueryLimits(this.maxSamples, deadlineMs, options.signal);
    try {
      const data = await fetchSelectors(collectSelectors(expr, frame), this.source, frame, signal).catch(
        (err: unknown) => {
          if (isPromQLError(err)) throw err;
          if (options.signal?.aborted === true) {
            throw new PromQLError('canceled', 'query was canceled in query preparation', { cause: err });
          }
          if (timeout.signal.aborted)
            throw new PromQLError('timeout', 'query timed out in query preparation', { cause: err });
          throw new PromQLError('execution', `expanding series: ${(err as Error).message}`, { cause: err });
        },
      );
      const evaluator = new Evaluator(frame, limits, data, this.memo);
      return evaluator.eval(expr, grid);
    } finally {
      clearTimeout(timer);
    }
  }
}

function instantResult(value: Value, timeMs: number): QueryResult {
  switch (value.kind) {
    case 'scalar':
      return { resultType: 'scalar', result: { timestampMs: timeMs, value: value.values[0]! } };
    case 'string':
      return { resultType: 'string', result: { timestampMs: timeMs, value: value.value } };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: value.series.map((s) => ({
          metric: s.labels,
          timestampsMs: s.timestampsMs,
          values: s.values,
        })),
      };
    case 'vector':
      return {
        resultType: 'vector',
        result: value.series
          .filter((s) => s.present[0] === 1)
          .map((s) => ({ metric: s.labels, timestampMs: timeMs, value: s.values[0]! })),
      };
  }
}

/** A range query's result: every series with its present steps, sorted by labels. */
function rangeSeries(value: Value, grid: Grid): ResultSeries[] {
  const times = (i: number): number => grid.startMs + i * grid.stepMs;
  if (value.kind === 'scalar') {
    return [
      {
        metric: [],
        timestampsMs: Array.from({ length: grid.steps }, (_, i) => times(i)),
        values: Array.from(value.values),
      },
    ];
  }
  if (value.kind !== 'vector')
    throw new PromQLError('internal', `unexpected ${value.kind} result of a range query`);
  const out: ResultSeries[] = [];
  for (const s of value.series) {
    const timestampsMs: number[] = [];
    const values: number[] = [];
    for (let i = 0; i < grid.steps; i++) {
      if (s.present[i] !== 1) continue;
      timestampsMs.push(times(i));
      values.push(s.values[i]!);
    }
    if (values.length > 0) out.push({ metric: s.labels, timestampsMs, values });
  }
  return out.sort((a, b) => compareLabels(a.metric, b.metric));
}

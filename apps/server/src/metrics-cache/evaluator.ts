/**
 * What the refresher evaluates queries with. Any {@link MetricsQueryService} will do (the
 * external Prometheus backend is used as it is); the embedded store gets
 * {@link SharedSelectEvaluator}: Vigil's engine over the project's MetricStore, with the reads of
 * one refresh round shared by all of its queries.
 *
 * Why: a refresh evaluates every registry query over the same few minutes, and the queries
 * select a few dozen metrics between them. Each engine query would read its selectors from
 * ClickHouse on its own, and a select costs far more than its rows: it scans the series table
 * for the matchers (measured on 1k containers, 17 metrics: 17 selects 2.2 CPU-s, one select of
 * all 17 names 0.5 CPU-s). So a round reads every metric its queries name in one select over
 * the round's window plus the lookback, and the engine's selects are answered from memory by
 * the engine's own matcher semantics. Selectors the prefetch does not cover (no metric name,
 * offsets, `@`, subqueries, a wider window) fall back to a select of their own, shared between
 * the round's queries. The engine accepts samples outside the window it asked for, so the
 * answers are the engine's own, bit for bit.
 */
import {
  compileMatchers,
  Engine,
  parse,
  type EngineOptions,
  type Expr,
  type QueryResult,
  type SeriesData,
  type SeriesSource,
} from '@vigil/promql';
import type { LabelMatcher } from '@vigil/protocols';
import type { MetricQueryOptions, MetricsQueryService } from '../metrics/query-service.ts';
import { querySelectors } from './query-selectors.ts';

export type RangeQuery = (
  query: string,
  startMs: number,
  endMs: number,
  stepMs: number,
  options?: MetricQueryOptions,
) => Promise<QueryResult>;

/** The queries of a round and the evaluation times they span. */
export interface RoundScope {
  readonly queries: readonly string[];
  readonly fromMs: number;
  readonly toMs: number;
  readonly signal?: AbortSignal;
}

export interface CacheEvaluator {
  /** Range queries in flight at once (default 4: a remote backend's latency overlaps). */
  readonly concurrency?: number;
  instantQuery: MetricsQueryService['instantQuery'];
  rangeQuery: RangeQuery;
  /**
   * Runs `fn` with a `rangeQuery` that may share work between the calls made inside it for the
   * queries and times of `scope`. Without the method, calls are independent.
   */
  round?<T>(scope: RoundScope, fn: (rangeQuery: RangeQuery) => Promise<T>): Promise<T>;
}

/** Where samples come from: the project's MetricStore (or any store with its `select`). */
export interface SampleStore {
  select(
    matchers: readonly LabelMatcher[],
    startMs: number,
    endMs: number,
    options?: { signal?: AbortSignal },
  ): Promise<SeriesData[]>;
}

/** Prometheus's default lookback of instant selectors, also the engine's. */
const LOOKBACK_MS = 300_000;
/** Parsed queries kept (the registry's texts at one or two steps). */
const PARSED_LIMIT = 4_096;

const matchersKey = (matchers: readonly LabelMatcher[]): string =>
  matchers
    .map((m) => `${m.name}\u0000${m.op}\u0000${m.value}`)
    .sort()
    .join('\u0001');

function metricName(matchers: readonly LabelMatcher[]): string | undefined {
  return matchers.find((m) => m.name === '__name__' && m.op === '=')?.value;
}

/** The engine's SeriesSource for one round: prefetched metrics, else shared direct selects. */
class RoundSource implements SeriesSource {
  readonly #direct = new Map<string, { startMs: number; endMs: number; data: Promise<SeriesData[]> }>();
  readonly #filtered = new Map<string, SeriesData[]>();

  constructor(
    private readonly store: SampleStore,
    private readonly prefetch: { startMs: number; endMs: number; byName: Promise<Map<string, SeriesData[]>> },
  ) {}

  async select(
    matchers: readonly LabelMatcher[],
    startMs: number,
    endMs: number,
    signal?: AbortSignal,
  ): Promise<SeriesData[]> {
    const name = metricName(matchers);
    const p = this.prefetch;
    const key = matchersKey(matchers);
    if (name !== undefined && startMs >= p.startMs && endMs <= p.endMs) {
      const byName = await p.byName;
      const group = byName.get(name);
      if (group) {
        // Most selectors recur in many queries (`rate(x[1m])` under a dozen aggregations).
        let filtered = this.#filtered.get(key);
        if (!filtered) {
          const matches = compileMatchers(matchers);
          filtered = group.filter((s) => matches(s.labels));
          this.#filtered.set(key, filtered);
        }
        return filtered;
      }
      if (byName.has(`\u0000${name}`)) return []; // prefetched, no series
    }
    const held = this.#direct.get(key);
    if (held && held.startMs <= startMs && held.endMs >= endMs) return held.data;
    const data = this.store.select(matchers, startMs, endMs, signal ? { signal } : undefined);
    this.#direct.set(key, { startMs, endMs, data });
    data.catch(() => this.#direct.delete(key));
    return data;
  }
}

export class SharedSelectEvaluator implements CacheEvaluator {
  /**
   * The engine is CPU-bound JS and a round has one select to wait for: more queries in flight
   * only keep more intermediate results alive for the garbage collector.
   */
  readonly concurrency = 1;
  readonly #plain: Engine;
  readonly #lookbackMs: number;
  /** Registry texts parsed once, not once per refresh (the engine never mutates its AST). */
  readonly #parsed = new Map<string, { expr: Expr; selectors: ReturnType<typeof querySelectors> } | Error>();

  constructor(
    private readonly store: SampleStore,
    private readonly engineOptions: EngineOptions = {},
  ) {
    this.#plain = new Engine(
      { select: (m, s, e, signal) => store.select(m, s, e, signal ? { signal } : undefined) },
      engineOptions,
    );
    this.#lookbackMs = engineOptions.lookbackDeltaMs ?? LOOKBACK_MS;
  }

  instantQuery(query: string, timeMs: number, options: MetricQueryOptions = {}): Promise<QueryResult> {
    return this.#plain.instantQuery(query, timeMs, options);
  }

  rangeQuery(
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    options: MetricQueryOptions = {},
  ): Promise<QueryResult> {
    return this.#plain.rangeQuery(query, startMs, endMs, stepMs, options);
  }

  async round<T>(scope: RoundScope, fn: (rangeQuery: RangeQuery) => Promise<T>): Promise<T> {
    const names = new Set<string>();
    let reachMs = this.#lookbackMs;
    for (const q of scope.queries) {
      const parsed = this.#parse(q);
      if (parsed instanceof Error || !parsed.selectors.simple) continue;
      for (const n of parsed.selectors.names) names.add(n);
      reachMs = Math.max(reachMs, parsed.selectors.maxRangeMs);
    }
    const startMs = scope.fromMs - reachMs;
    const endMs = scope.toMs;
    const byName = this.#prefetch([...names], startMs, endMs, scope.signal);
    byName.catch(() => undefined); // a failed prefetch fails the queries that await it
    // The round's data does not change while it runs: subexpressions shared by its queries
    // (`rate(x[1m])` under a dozen aggregations) are evaluated once.
    const engine = new Engine(new RoundSource(this.store, { startMs, endMs, byName }), {
      ...this.engineOptions,
      shareSubexpressions: true,
    });
    return fn((q, s, e, step, options = {}) => {
      const parsed = this.#parse(q);
      // A query that does not parse goes in as text, for the engine's own error.
      return engine.rangeQuery(parsed instanceof Error ? q : parsed.expr, s, e, step, options);
    });
  }

  #parse(query: string): { expr: Expr; selectors: ReturnType<typeof querySelectors> } | Error {
    let parsed = this.#parsed.get(query);
    if (parsed) return parsed;
    try {
      const expr = parse(query);
      parsed = { expr, selectors: querySelectors(expr) };
    } catch (err) {
      parsed = err instanceof Error ? err : new Error(String(err));
    }
    if (this.#parsed.size >= PARSED_LIMIT) this.#parsed.clear();
    this.#parsed.set(query, parsed);
    return parsed;
  }

  /** One select of every named metric; `\0name` marks a metric read that had no series. */
  async #prefetch(
    names: string[],
    startMs: number,
    endMs: number,
    signal: AbortSignal | undefined,
  ): Promise<Map<string, SeriesData[]>> {
    const out = new Map<string, SeriesData[]>();
    if (names.length === 0) return out;
    const pattern = names.map((n) => n.replace(/[^A-Za-z0-9_:]/g, '\\$&')).join('|');
    const all = await this.store.select(
      [{ name: '__name__', op: '=~', value: pattern }],
      startMs,
      endMs,
      signal ? { signal } : undefined,
    );
    for (const n of names) out.set(`\u0000${n}`, []);
    for (const s of all) {
      const name = s.labels.find((l) => l.name === '__name__')?.value ?? '';
      const list = out.get(name);
      if (list) list.push(s);
      else out.set(name, [s]);
    }
    return out;
  }
}

import { Engine, type EngineOptions, type QueryResult, type SeriesSource } from '@vigil/promql';
import type { Label, LabelMatcher } from '@vigil/protocols';
import type { MetricStore } from '@vigil/storage';
import type { MetricMetadataEntry, MetricQueryOptions, MetricsQueryService } from './query-service.ts';

/** Unions sorted string lists from several `match[]` sets. */
async function union(
  sets: LabelMatcher[][],
  one: (matchers: LabelMatcher[]) => Promise<string[]>,
): Promise<string[]> {
  if (sets.length === 0) return one([]);
  if (sets.length === 1) return one(sets[0]!);
  const all = new Set<string>();
  for (const list of await Promise.all(sets.map(one))) for (const v of list) all.add(v);
  return [...all].sort();
}

/**
 * The default metrics backend: samples in the project's ClickHouse database (MetricStore),
 * PromQL evaluated by Vigil's engine, which fetches each selector once through `select`.
 */
export class EmbeddedMetricsQueryService implements MetricsQueryService {
  private readonly engine: Engine;

  /**
   * `windowPushdown` lets the engine ask the store for range-window summaries computed in SQL
   * (MetricStore.selectWindows) instead of samples. Off by default: on chDB with 2 cores the
   * window query (lagInFrame, ARRAY JOIN, GROUP BY per window) costs more than reading the
   * samples in order and evaluating in JS (docs/perf.md, PromQL section).
   */
  constructor(
    private readonly store: MetricStore,
    engineOptions: EngineOptions = {},
    options: { windowPushdown?: boolean } = {},
  ) {
    const source: SeriesSource = {
      select: (matchers, startMs, endMs, signal) =>
        store.select(matchers, startMs, endMs, signal ? { signal } : undefined),
      ...(options.windowPushdown === true
        ? {
            selectWindows: (request, signal) => store.selectWindows(request, signal ? { signal } : undefined),
          }
        : {}),
    };
    this.engine = new Engine(source, engineOptions);
  }

  instantQuery(query: string, timeMs: number, options: MetricQueryOptions = {}): Promise<QueryResult> {
    return this.engine.instantQuery(query, timeMs, options);
  }

  rangeQuery(
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    options: MetricQueryOptions = {},
  ): Promise<QueryResult> {
    return this.engine.rangeQuery(query, startMs, endMs, stepMs, options);
  }

  series(
    matchSets: LabelMatcher[][],
    startMs: number,
    endMs: number,
    options: MetricQueryOptions = {},
  ): Promise<Label[][]> {
    return this.store.series(matchSets, startMs, endMs, options);
  }

  labelNames(
    matchSets: LabelMatcher[][],
    startMs: number,
    endMs: number,
    options: MetricQueryOptions = {},
  ): Promise<string[]> {
    return union(matchSets, (m) => this.store.labelNames(m, startMs, endMs, options));
  }

  labelValues(
    name: string,
    matchSets: LabelMatcher[][],
    startMs: number,
    endMs: number,
    options: MetricQueryOptions = {},
  ): Promise<string[]> {
    return union(matchSets, (m) => this.store.labelValues(name, m, startMs, endMs, options));
  }

  async metadata(
    metric: string | undefined,
    options: MetricQueryOptions = {},
  ): Promise<Record<string, MetricMetadataEntry[]>> {
    const out: Record<string, MetricMetadataEntry[]> = {};
    for (const m of await this.store.metadata(metric, options)) {
      (out[m.metricFamilyName] ??= []).push({ type: m.type, help: m.help, unit: m.unit });
    }
    return out;
  }
}

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
   * `windows` says when the engine gets range-window summaries from the store instead of
   * samples (for `rate(x[5m])`, `max_over_time(…)`, … over a grid):
   * - `rollups` (default): when the store has them pre-computed (5-minute rollups, grids aligned
   *   to 5 minutes; MetricStore.rollupsServe), otherwise samples;
   * - `sql`: always, computed in SQL when there are no rollups (tests of that path: on chDB with
   *   2 cores it costs more than reading samples, docs/perf.md);
   * - `off`: never.
   */
  constructor(
    private readonly store: MetricStore,
    engineOptions: EngineOptions = {},
    options: { windows?: 'rollups' | 'sql' | 'off' } = {},
  ) {
    const windows = options.windows ?? 'rollups';
    const source: SeriesSource = {
      select: (matchers, startMs, endMs, signal) =>
        store.select(matchers, startMs, endMs, signal ? { signal } : undefined),
      ...(windows === 'off'
        ? {}
        : {
            selectWindows: (request, signal) => store.selectWindows(request, signal ? { signal } : undefined),
          }),
      ...(windows === 'rollups' ? { prefersWindows: (request) => store.rollupsServe(request) } : {}),
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

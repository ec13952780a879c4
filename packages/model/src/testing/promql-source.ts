/**
 * A {@link ModelDataSource} that evaluates the model's queries with the PromQL engine over raw
 * samples held in memory: the same query texts the metrics cache evaluates, without a server.
 * Scenario tests write an agent's series into it and build the world from it.
 */
import { Engine, MemorySeriesSource } from '@vigil/promql';
import type { ModelDataSource, SourceRead } from '../data-source.ts';
import { expandQuery, MODEL_QUERIES } from '../queries.ts';
import type { TimeGrid } from '../time-series.ts';

/** A raw series as an agent would push it: labels including `__name__`, samples sorted by time. */
export interface RawSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly timestampsMs: readonly number[];
  readonly values: readonly number[];
}

export class PromqlModelSource implements ModelDataSource {
  readonly #engine: Engine;
  readonly #queries = new Map(MODEL_QUERIES.map((q) => [q.id, q.query]));

  constructor(series: Iterable<RawSeries>) {
    const memory = new MemorySeriesSource();
    for (const s of series) {
      const labels = Object.entries(s.labels)
        .filter(([, v]) => v !== '')
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, value]) => ({ name, value }));
      memory.add({ labels, timestampsMs: s.timestampsMs, values: s.values });
    }
    this.#engine = new Engine(memory);
  }

  async read(queryId: string, grid: TimeGrid, signal?: AbortSignal): Promise<SourceRead> {
    const query = this.#queries.get(queryId);
    if (query === undefined) throw new Error(`no model query "${queryId}"`);
    const endMs = grid.fromMs + (grid.points - 1) * grid.stepMs;
    const result = await this.#engine.rangeQuery(
      expandQuery(query, grid.stepMs),
      grid.fromMs,
      endMs,
      grid.stepMs,
      {
        ...(signal ? { signal } : {}),
      },
    );
    if (result.resultType !== 'matrix') throw new Error(`model query "${queryId}" is not a range vector`);
    return {
      complete: true,
      series: result.result.map((s) => ({
        labels: Object.fromEntries(s.metric.map((l) => [l.name, l.value])),
        timestampsMs: s.timestampsMs,
        values: s.values,
      })),
    };
  }
}

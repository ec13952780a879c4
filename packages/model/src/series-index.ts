/**
 * Query results indexed the way the builder needs them: series grouped by the instance
 * (`machine_id|container_id`) or node (`machine_id`) they belong to, placed on the world's grid.
 */
import type { SourceSeries } from './data-source.ts';
import { allocNaN, emptySeries, seriesFromPoints, type TimeGrid, type TimeSeries } from './time-series.ts';

export interface LabelledSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly series: TimeSeries;
}

export function instanceKey(labels: Readonly<Record<string, string>>): string | undefined {
  const container = labels['container_id'];
  if (container === undefined || container === '') return undefined;
  return `${labels['machine_id'] ?? ''}|${container}`;
}

export function nodeKey(labels: Readonly<Record<string, string>>): string | undefined {
  const node = labels['machine_id'];
  return node === undefined || node === '' ? undefined : node;
}

/** Series of one query, grouped by a key; series without the key are dropped. */
export class SeriesIndex {
  readonly #byKey = new Map<string, LabelledSeries[]>();

  constructor(
    readonly grid: TimeGrid,
    series: readonly SourceSeries[],
    keyOf: (labels: Readonly<Record<string, string>>) => string | undefined,
  ) {
    for (const s of series) {
      const key = keyOf(s.labels);
      if (key === undefined) continue;
      const entry = { labels: s.labels, series: seriesFromPoints(grid, s.timestampsMs, s.values) };
      const list = this.#byKey.get(key);
      if (list) list.push(entry);
      else this.#byKey.set(key, [entry]);
    }
  }

  keys(): IterableIterator<string> {
    return this.#byKey.keys();
  }

  all(key: string): readonly LabelledSeries[] {
    return this.#byKey.get(key) ?? [];
  }

  /** The key's one series (the first, when the agent sent several), or an empty one. */
  one(key: string): TimeSeries {
    return this.#byKey.get(key)?.[0]?.series ?? emptySeries(this.grid);
  }
}

/**
 * Per-step increase of a counter cached raw: v[i] − v[i−1], the new value after a reset, 0 for a
 * first point (its history before the window is unknown), NaN where there is no sample.
 */
export function stepIncreases(s: TimeSeries): TimeSeries {
  const values = allocNaN(s.grid.points);
  let prev = NaN;
  for (let i = 0; i < values.length; i++) {
    const v = s.values[i]!;
    if (Number.isNaN(v)) continue;
    values[i] = Number.isNaN(prev) ? 0 : v >= prev ? v - prev : v;
    prev = v;
  }
  return { grid: s.grid, values };
}

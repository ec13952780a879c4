import type { LabelMatcher } from '@vigil/protocols';
import { compileMatchers } from '../model/matchers.ts';
import type { SeriesData, SeriesSource, SeriesWindows, WindowRequest } from '../model/series-source.ts';
import { summarizeWindows } from './summarize-windows.ts';
import { lowerBound, upperBound } from '../eval/search.ts';

/**
 * A {@link SeriesSource} over series held in memory: for tests, for the conformance suite and
 * for small embedded uses. `select` returns views of the stored arrays trimmed to the window.
 */
export class MemorySeriesSource implements SeriesSource {
  private readonly series: SeriesData[] = [];

  /**
   * With `windows: false` the source has no `selectWindows`, so the engine reads samples only;
   * with `preferWindows` it asks for windows wherever it can, instant-vector selectors included
   * (what a store with pre-computed summaries does).
   */
  constructor(
    series: Iterable<SeriesData> = [],
    options: { windows?: boolean; preferWindows?: boolean } = {},
  ) {
    for (const s of series) this.add(s);
    if (options.windows === false) this.selectWindows = undefined;
    if (options.preferWindows === true) this.prefersWindows = () => true;
  }

  prefersWindows?: (request: WindowRequest) => boolean;

  selectWindows?: (request: WindowRequest, signal?: AbortSignal) => Promise<SeriesWindows[]> = async (
    request,
    signal,
  ) => {
    signal?.throwIfAborted();
    const matches = compileMatchers(request.matchers);
    const out: SeriesWindows[] = [];
    for (const s of this.series) {
      if (!matches(s.labels)) continue;
      const w = summarizeWindows(s, request);
      if (w !== undefined) out.push(w);
    }
    return out;
  };

  /** Adds a series; its samples must be sorted by time. */
  add(series: SeriesData): void {
    this.series.push(series);
  }

  async select(
    matchers: readonly LabelMatcher[],
    startMs: number,
    endMs: number,
    signal?: AbortSignal,
  ): Promise<SeriesData[]> {
    signal?.throwIfAborted();
    const matches = compileMatchers(matchers);
    const out: SeriesData[] = [];
    for (const s of this.series) {
      if (!matches(s.labels)) continue;
      const lo = lowerBound(s.timestampsMs, startMs, 0, s.timestampsMs.length);
      const hi = upperBound(s.timestampsMs, endMs, lo, s.timestampsMs.length);
      if (lo >= hi) continue;
      const stale = s.staleIndexes?.filter((i) => i >= lo && i < hi).map((i) => i - lo);
      out.push({
        labels: s.labels,
        timestampsMs: window(s.timestampsMs, lo, hi),
        values: window(s.values, lo, hi),
        ...(stale !== undefined && stale.length > 0 ? { staleIndexes: stale } : {}),
      });
    }
    return out;
  }
}

/** A view of typed arrays (no copy), a copy of plain ones. */
function window(a: Float64Array | readonly number[], lo: number, hi: number): Float64Array | number[] {
  return a instanceof Float64Array ? a.subarray(lo, hi) : a.slice(lo, hi);
}

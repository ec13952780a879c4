import type { Label, LabelMatcher } from '@vigil/protocols';

/**
 * One series as a {@link SeriesSource} returns it. Samples are sorted by time, one per
 * timestamp. `timestampsMs[i]` belongs to `values[i]`.
 *
 * Staleness markers: Prometheus writes a special NaN when a series disappears. V8 does not
 * preserve NaN payloads, so a marker cannot travel as a value; instead `staleIndexes` lists the
 * positions of markers (ascending), and the value stored there is ignored. This is the same
 * convention as `MetricSeries` in @vigil/protocols, so decoded remote-write data can be passed on.
 */
export interface SeriesData {
  /** Sorted by name, including `__name__`; no empty values. */
  readonly labels: readonly Label[];
  readonly timestampsMs: Float64Array | readonly number[];
  readonly values: Float64Array | readonly number[];
  readonly staleIndexes?: readonly number[];
}

/**
 * What the engine will do with the selected data, like Prometheus's storage.SelectHints. A
 * store may use it to push work down (e.g. return pre-aggregated `sum by (job)` data or thin
 * out samples for `max_over_time`), as long as the engine's result stays the same; today the
 * engine always evaluates the raw samples itself, so a store may ignore the hints.
 */
export interface SelectHints {
  /** The time window the engine needs (inclusive), as also passed to `select`. */
  readonly startMs: number;
  readonly endMs: number;
  /** Step of the enclosing range query or subquery; 0 for instant queries. */
  readonly stepMs: number;
  /** Range of the enclosing matrix selector (`[5m]`), 0 for instant vector selectors. */
  readonly rangeMs: number;
  /** The function or aggregation directly applied to this selector (`rate`, `sum`, …), if any. */
  readonly func: string | undefined;
  /** With an aggregation: true for `by`, false for `without`. */
  readonly by: boolean;
  /** With an aggregation: its `by`/`without` labels. */
  readonly grouping: readonly string[];
}

/**
 * Where the engine gets samples from. The engine calls `select` once per distinct selector of
 * a query, with the whole time window that selector needs (lookback, ranges, offsets, `@` and
 * subqueries included), before it evaluates anything. Returned series need not be sorted and
 * may include samples outside the window. Returned arrays must not change afterwards: the
 * engine keeps its preparation of an array for as long as the array lives, so a source that
 * answers repeated selects with the same array has it prepared once.
 */
export interface SeriesSource {
  select(
    matchers: readonly LabelMatcher[],
    startMs: number,
    endMs: number,
    signal?: AbortSignal,
    hints?: SelectHints,
  ): Promise<SeriesData[]>;
  /**
   * Optional push-down: summaries of each range window of a grid instead of raw samples, for
   * selectors whose only use is a function that can be computed from them (`rate(x[5m])`,
   * `max_over_time(x[5m])`, …; see window-pushdown.ts). A source without it gets `select`.
   */
  selectWindows?(request: WindowRequest, signal?: AbortSignal): Promise<SeriesWindows[]>;
  /**
   * Optional, with `selectWindows`: whether this request is cheaper as windows than as samples
   * (a store with pre-computed summaries for some grids only). Without it every request that
   * can be summarized is.
   */
  prefersWindows?(request: WindowRequest): boolean;
}

/**
 * The windows of a {@link SeriesSource.selectWindows} call. Window k (0 ≤ k < steps) holds the
 * samples with `endMs(k) - rangeMs ≤ t ≤ endMs(k)` where `endMs(k) = firstEndMs + k * stepMs`:
 * both ends inclusive, as range vectors are in Prometheus 2.x. Staleness markers are left out.
 */
export interface WindowRequest {
  readonly matchers: readonly LabelMatcher[];
  readonly firstEndMs: number;
  readonly stepMs: number;
  readonly steps: number;
  readonly rangeMs: number;
  /**
   * The range functions the engine will apply to these windows (`rate`, `max_over_time`, …);
   * a source may leave out figures none of them reads (window-summary.ts says which read
   * what), and `instant` asks for `lastStale`. Undefined: any range function.
   */
  readonly functions?: readonly string[];
}

/**
 * One series' non-empty windows: `step[j]` is the window index of entry j (ascending), and
 * every other array holds entry j's figure. Samples repeated at one timestamp count once.
 */
export interface SeriesWindows {
  /** Sorted by name, including `__name__`. */
  readonly labels: readonly Label[];
  readonly step: ArrayLike<number>;
  /** Samples in the window (≥ 1). */
  readonly count: ArrayLike<number>;
  /** Oldest and newest sample. */
  readonly firstT: ArrayLike<number>;
  readonly firstV: ArrayLike<number>;
  readonly lastT: ArrayLike<number>;
  readonly lastV: ArrayLike<number>;
  /** The sample before the newest one (NaN time when count is 1). */
  readonly prevT: ArrayLike<number>;
  readonly prevV: ArrayLike<number>;
  /** Smallest and largest value ignoring NaN; NaN when every value is NaN. */
  readonly min: ArrayLike<number>;
  readonly max: ArrayLike<number>;
  /**
   * Counter resets: for each pair of consecutive samples in the window whose value drops, the
   * value before the drop, in time order; undefined (or empty) for a window without drops.
   */
  readonly resets: ReadonlyArray<ArrayLike<number> | undefined>;
  /**
   * Asked for with the pseudo-function `instant` (an instant-vector selector read as windows of
   * the lookback): 1 where the window's newest entry is a staleness marker, which leaves the
   * step without a value. A window holding only markers is not listed at all.
   */
  readonly lastStale?: ArrayLike<number>;
}

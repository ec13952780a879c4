/**
 * Bucketing for the latency heatmap: time on x (equal columns over the range), duration on y
 * (logarithmic rows at 1-2-5 steps, so 3 ms and 3 s are both readable), count per cell.
 * Pure, so the page can feed it whatever it has and the tests can check the edges exactly.
 */

/** One thing to count: a span (or a trace's root span) at a time with a duration. */
export interface HeatmapPoint {
  readonly timeMs: number;
  readonly durationNs: number;
  readonly isError: boolean;
}

export interface HeatmapCell {
  readonly column: number;
  /** 0 is the shortest-duration row. */
  readonly row: number;
  readonly count: number;
  readonly errorCount: number;
}

export interface HeatmapGrid {
  readonly fromMs: number;
  readonly toMs: number;
  readonly columns: number;
  /** Row boundaries in ns, ascending; row r covers [edgesNs[r], edgesNs[r+1]). */
  readonly edgesNs: readonly number[];
  /** Row-major: `cells[row * columns + column]`. */
  readonly cells: readonly HeatmapCell[];
  readonly maxCount: number;
}

/** A rectangle of cells, as the search filters it stands for. */
export interface HeatmapSelection {
  readonly fromMs: number;
  readonly toMs: number;
  readonly minDurationMs: number;
  readonly maxDurationMs: number;
}

const STEPS = [1, 2, 5] as const;

/** The 1-2-5 value at or below `ns` (at least 1 ns). */
function stepAtOrBelow(ns: number): number {
  let decade = 10 ** Math.floor(Math.log10(Math.max(ns, 1)));
  for (;;) {
    for (let i = STEPS.length - 1; i >= 0; i--) if (STEPS[i]! * decade <= ns) return STEPS[i]! * decade;
    if (decade <= 1) return 1;
    decade /= 10;
  }
}

function nextStep(ns: number): number {
  const decade = 10 ** Math.floor(Math.log10(ns) + 1e-9);
  const mantissa = Math.round(ns / decade);
  return mantissa === 1 ? 2 * decade : mantissa === 2 ? 5 * decade : 10 * decade;
}

/** Row edges covering [minNs, maxNs], at least `minRows` rows (a single duration is still a band). */
export function durationEdgesNs(minNs: number, maxNs: number, minRows = 4): number[] {
  const edges = [stepAtOrBelow(minNs)];
  while (edges[edges.length - 1]! <= maxNs || edges.length <= minRows)
    edges.push(nextStep(edges[edges.length - 1]!));
  return edges;
}

/** Counts points into `columns` time columns and logarithmic duration rows. */
export function bucketHeatmap(
  points: readonly HeatmapPoint[],
  fromMs: number,
  toMs: number,
  columns: number,
): HeatmapGrid {
  const inRange = points.filter((p) => p.timeMs >= fromMs && p.timeMs <= toMs);
  let minNs = Infinity;
  let maxNs = 0;
  for (const p of inRange) {
    if (p.durationNs < minNs) minNs = p.durationNs;
    if (p.durationNs > maxNs) maxNs = p.durationNs;
  }
  // With no data, show an empty 1 ms – 1 s band rather than nothing.
  const edgesNs = inRange.length === 0 ? durationEdgesNs(1e6, 1e9) : durationEdgesNs(minNs, maxNs);
  const rows = edgesNs.length - 1;
  const counts = new Array<number>(rows * columns).fill(0);
  const errors = new Array<number>(rows * columns).fill(0);
  const columnMs = (toMs - fromMs) / columns;
  for (const p of inRange) {
    const column = Math.min(columns - 1, Math.floor((p.timeMs - fromMs) / columnMs));
    let row = 0;
    while (row < rows - 1 && p.durationNs >= edgesNs[row + 1]!) row++;
    const i = row * columns + column;
    counts[i]!++;
    if (p.isError) errors[i]!++;
  }
  const cells: HeatmapCell[] = counts.map((count, i) => ({
    column: i % columns,
    row: Math.floor(i / columns),
    count,
    errorCount: errors[i]!,
  }));
  return { fromMs, toMs, columns, edgesNs, cells, maxCount: Math.max(0, ...counts) };
}

/** The time window and duration band covered by the rectangle between two cells (any corners). */
export function selectionRange(
  grid: HeatmapGrid,
  a: { column: number; row: number },
  b: { column: number; row: number },
): HeatmapSelection {
  const columnMs = (grid.toMs - grid.fromMs) / grid.columns;
  const [c0, c1] = [Math.min(a.column, b.column), Math.max(a.column, b.column)];
  const [r0, r1] = [Math.min(a.row, b.row), Math.max(a.row, b.row)];
  return {
    fromMs: Math.floor(grid.fromMs + c0 * columnMs),
    toMs: Math.ceil(grid.fromMs + (c1 + 1) * columnMs),
    minDurationMs: grid.edgesNs[r0]! / 1e6,
    maxDurationMs: grid.edgesNs[r1 + 1]! / 1e6,
  };
}

/** Traces and traces with errors in the rectangle between two cells (any corners). */
export function selectionCounts(
  grid: HeatmapGrid,
  a: { column: number; row: number },
  b: { column: number; row: number },
): { count: number; errorCount: number } {
  const [c0, c1] = [Math.min(a.column, b.column), Math.max(a.column, b.column)];
  const [r0, r1] = [Math.min(a.row, b.row), Math.max(a.row, b.row)];
  let count = 0;
  let errorCount = 0;
  for (const cell of grid.cells)
    if (cell.column >= c0 && cell.column <= c1 && cell.row >= r0 && cell.row <= r1) {
      count += cell.count;
      errorCount += cell.errorCount;
    }
  return { count, errorCount };
}

/**
 * The chart JSON the server sends, read exactly as packages/audit writes it (report.ts `Chart`,
 * model's `seriesToJson`): a title, a unit, named lines each on a time grid, and an optional
 * threshold. Pages that have raw series (a node's charts, an RCA cause's evidence) build the
 * same shape with {@link lineOf} so one component draws them all.
 */

/** A series on a fixed grid: `values[i]` is the value at `fromMs + i * stepMs`; null = no data. */
export interface SeriesJson {
  readonly fromMs: number;
  readonly stepMs: number;
  readonly values: ReadonlyArray<number | null>;
}

/** A series as irregular points `[unixMs, value]`, for data that is not on a grid. */
export interface PointsJson {
  readonly points: ReadonlyArray<readonly [number, number | null]>;
}

/** One line of a chart. */
export interface ChartLineJson {
  readonly name: string;
  readonly data: SeriesJson | PointsJson;
}

/** A chart as the server's reports carry it (`reportDetails[].charts[]`). */
export interface ChartJson {
  readonly title: string;
  /** `%`, `bytes`, `bytes/s`, `s`, `s/s`, `/s`, `req/s`, `count`, `cores`, … (see format-unit.ts). */
  readonly unit: string;
  readonly lines: readonly ChartLineJson[];
  /** A horizontal line at the check's threshold, in `unit`. */
  readonly threshold?: number;
}

/** A named line from a grid series, for charts the page assembles itself. */
export function lineOf(name: string, data: SeriesJson | PointsJson): ChartLineJson {
  return { name, data };
}

/** Whether a line's data is a list of points rather than a grid. */
export function isPoints(data: SeriesJson | PointsJson): data is PointsJson {
  return 'points' in data;
}

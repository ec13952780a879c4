/** The heatmap tests' grid (imported only by tests): 10 columns of 100 ms over 1000..2000. */
import { bucketHeatmap } from './heatmap-buckets.ts';

const MS = 1e6;

/** Three spans: 3 ms and 4 ms (an error) in the first column, 40 ms in the last. */
export const TEST_GRID = bucketHeatmap(
  [
    { timeMs: 1000, durationNs: 3 * MS, isError: false },
    { timeMs: 1050, durationNs: 4 * MS, isError: true },
    { timeMs: 1999, durationNs: 40 * MS, isError: false },
  ],
  1000,
  2000,
  10,
);

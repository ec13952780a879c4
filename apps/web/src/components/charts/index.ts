/** Time-series charts on uPlot, fed the server's chart JSON. */
export { TimeSeriesChart, type TimeSeriesChartProps } from './TimeSeriesChart.tsx';
export { chartToUplotData, latestValue, hasData, type UplotData } from './chart-data.ts';
export { chartSummary } from './chart-summary.ts';
export { formatValue, axisTickFormatter } from './format-unit.ts';
export {
  lineOf,
  type ChartJson,
  type ChartLineJson,
  type SeriesJson,
  type PointsJson,
} from './chart-types.ts';

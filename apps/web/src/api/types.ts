/**
 * The JSON of the model API the pages read (apps/server/src/model/views.ts). The shapes live in
 * @vigil/spec, which the server's views are typed with; these are the names the pages use.
 */
export type {
  ApplicationRow,
  ApplicationsOverview,
  ApplicationView,
  ChartLineView,
  ChartView,
  CheckView,
  ConnectionView,
  DeploymentFigures,
  DeploymentView,
  InstanceView,
  ReportCell,
  ReportView,
  TimeGrid,
  GridSeriesJson as SeriesJson,
  HealthStatus as Status,
} from '@vigil/spec';

/** The JSON of the model API the pages read (apps/server/src/model/views.ts). */

/** A check's or report's verdict. */
export type Status = 'ok' | 'warning' | 'critical' | 'unknown';

/** One report's cell in the overview: its status and the worst check's message. */
export interface ReportCell {
  readonly status: Status;
  readonly message: string;
}

/** A row of `GET /api/v1/overview/applications`. */
export interface ApplicationRow {
  readonly id: string;
  readonly name: string;
  readonly namespace?: string;
  readonly kind: string;
  readonly category: string;
  readonly types: readonly string[];
  readonly instances: number;
  readonly status: Status;
  readonly reports: Readonly<Record<string, ReportCell>>;
}

/** `GET /api/v1/overview/applications`. */
export interface ApplicationsOverview {
  readonly grid: TimeGrid;
  readonly applications: readonly ApplicationRow[];
  /** Queries whose data did not arrive in time: the overview may be partial. */
  readonly incomplete: readonly string[];
}

/** The window a response covers: point `i` is at `fromMs + i * stepMs` (Unix ms). */
export interface TimeGrid {
  readonly fromMs: number;
  readonly stepMs: number;
  readonly points: number;
}

/** A series on the response's grid (model's `seriesToJson`): null where there was no data. */
export interface SeriesJson {
  readonly fromMs: number;
  readonly stepMs: number;
  readonly values: ReadonlyArray<number | null>;
}

/** A check inside a report of `GET /api/v1/apps/<appId>` (packages/audit report.ts `Check`). */
export interface CheckView {
  /** Stable id, also the key of its threshold override: `cpu_node`, `memory_oom`, … */
  readonly id: string;
  readonly title: string;
  readonly status: Status;
  readonly message: string;
  /** The threshold the check compared against, in `unit`. */
  readonly threshold?: number;
  /** The worst value it found over the window, in `unit`. */
  readonly value?: number;
  readonly unit?: string;
}

/** One named line of a report's chart. */
export interface ChartLineView {
  readonly name: string;
  readonly data: SeriesJson;
}

/** A chart that justifies a report's checks (packages/audit report.ts `Chart`). */
export interface ChartView {
  readonly title: string;
  /** `%`, `bytes`, `cores`, `s`, `s/s`, `/s`, `req/s`, `count`, `×`, `per step`, … */
  readonly unit: string;
  readonly lines: readonly ChartLineView[];
  /** The check's threshold, drawn as a horizontal line. */
  readonly threshold?: number;
}

/** A report of `GET /api/v1/apps/<appId>` (packages/audit report.ts `Report`). */
export interface ReportView {
  readonly name: string;
  readonly status: Status;
  readonly checks: readonly CheckView[];
  readonly charts: readonly ChartView[];
  /** Set when no agent sends what the report needs: what is missing. */
  readonly noData?: string;
  /** What to fix in how the report is configured (e.g. a bad SLO annotation). */
  readonly notes?: readonly string[];
}

/** An instance (container, process) of `GET /api/v1/apps/<appId>`; figures are the last seen. */
export interface InstanceView {
  readonly id: string;
  /** The node's name (machine id), as `/nodes/<name>` takes it. */
  readonly node: string;
  readonly images: readonly string[];
  /** `ip:port` it listens on. */
  readonly listens: readonly string[];
  readonly up: boolean;
  /** Null when there was no sample in the range (NaN on the server). */
  readonly cpuCores: number | null;
  readonly memoryRssBytes: number | null;
}

/**
 * Traffic between this application and one peer (views.ts `connectionView`), every connection
 * of the pair merged: `upstreams` are peers it calls, `downstreams` peers that call it.
 */
export interface ConnectionView {
  readonly appId: string;
  /** L7 protocols seen (`http`, `postgres`, …); empty for plain TCP. */
  readonly protocols: readonly string[];
  readonly requestsPerSecond: SeriesJson;
  readonly errorsPerSecond: SeriesJson;
  readonly latencyP95Seconds: SeriesJson;
  readonly retransmitsPerSecond: SeriesJson;
  readonly failedConnectsPerSecond: SeriesJson;
}

/** Before/after figures of a deployment (packages/audit deployments/detect.ts); null = no data. */
export interface DeploymentFigures {
  /** Failed share of inbound requests, 0–1. */
  readonly errorRate: number | null;
  readonly latencyP95Seconds: number | null;
  readonly cpuCores: number | null;
  readonly memoryBytes: number | null;
  readonly restarts: number | null;
}

/** A rollout seen in the instances: a new image coming up while the previous one ran. */
export interface DeploymentView {
  readonly id: string;
  readonly applicationId: string;
  readonly image: string;
  readonly previousImage: string;
  readonly startedAtMs: number;
  /** Absent while in progress. */
  readonly finishedAtMs?: number;
  readonly durationMs: number;
  readonly state: 'in_progress' | 'done';
  /** The 30 minutes before against the 30 after, once those have passed. */
  readonly summary?: { readonly before: DeploymentFigures; readonly after: DeploymentFigures };
}

/** `GET /api/v1/apps/<appId>` (views.ts `applicationView`): the overview row and everything behind it. */
export interface ApplicationView extends Omit<ApplicationRow, 'instances'> {
  readonly grid: TimeGrid;
  /** Queries whose data did not cover the whole window. */
  readonly incomplete: readonly string[];
  readonly instances: readonly InstanceView[];
  readonly upstreams: readonly ConnectionView[];
  readonly downstreams: readonly ConnectionView[];
  readonly deployments: readonly DeploymentView[];
  readonly reportDetails: readonly ReportView[];
}

/**
 * Shapes of Vigil's JSON API over the model and its audit (apps/server/src/api/model-routes.ts,
 * built by apps/server/src/model/views.ts): the overview rows, the service map, an application's
 * reports and traffic, the nodes. Values the model keeps as NaN ("no data") arrive as null, so
 * they are typed `number | null`; a report whose charts are drawn on first read (a getter) is
 * plain data once serialized. The server's view functions return these types, so a model or
 * audit change that breaks the wire shape fails typecheck there, not in the browser.
 */
import type { GridSeriesJson } from './incidents-api.ts';

/** A check's, report's, application's or map edge's verdict; unknown < ok < warning < critical. */
export type HealthStatus = 'unknown' | 'ok' | 'warning' | 'critical';

/** The window a response covers: point `i` is at `fromMs + i * stepMs` (Unix ms). */
export interface TimeGrid {
  readonly fromMs: number;
  readonly stepMs: number;
  /** Number of points. */
  readonly points: number;
}

/** One report's cell in the overview: its status and the worst check's message. */
export interface ReportCell {
  readonly status: HealthStatus;
  /** The worst check's message, or why there is no data. */
  readonly message: string;
}

/** A row of `GET /api/v1/overview/applications`. */
export interface ApplicationRow {
  readonly id: string;
  readonly name: string;
  /** Kubernetes namespace, else ''. */
  readonly namespace: string;
  /**
   * Where it comes from, read off its id: `kubernetes`, `docker`, `systemd`, `process` or
   * `external` (an address nobody listens on); the model's `AppKind`.
   */
  readonly kind: string;
  /** application | monitoring | control-plane | … (configurable by glob). */
  readonly category: string;
  /** Detected types (`postgres`, `redis`, `nginx`, `java`, …). */
  readonly types: readonly string[];
  /** How many instances (containers, processes) it has in the range. */
  readonly instances: number;
  /** The worst status of the reports that have data. */
  readonly status: HealthStatus;
  /** By report name (`SLO`, `CPU`, …). */
  readonly reports: Readonly<Record<string, ReportCell>>;
}

/** `GET /api/v1/overview/applications`. */
export interface ApplicationsOverview {
  readonly grid: TimeGrid;
  /** Queries whose data did not arrive in time: the overview may be partial. */
  readonly incomplete: readonly string[];
  readonly applications: readonly ApplicationRow[];
}

/** A check inside a report (packages/audit report.ts `Check`). */
export interface CheckView {
  /** Stable id, also the key of its threshold override: `cpu_node`, `memory_oom`, … */
  readonly id: string;
  readonly title: string;
  readonly status: HealthStatus;
  /** One line a human reads: "3 of 4 instances restarted in the last hour: OOM kill". */
  readonly message: string;
  /** The threshold the check compared against, in `unit`. */
  readonly threshold?: number;
  /** The worst value it found over the window, in `unit`; absent without data. */
  readonly value?: number;
  readonly unit?: string;
}

/** One named line of a report's chart. */
export interface ChartLineView {
  readonly name: string;
  readonly data: GridSeriesJson;
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

/** A report of an application (packages/audit report.ts `Report`). */
export interface ReportView {
  /** `SLO`, `Instances`, `CPU`, … (the audit's `REPORT_NAMES`). */
  readonly name: string;
  readonly status: HealthStatus;
  readonly checks: readonly CheckView[];
  readonly charts: readonly ChartView[];
  /** Set when no agent sends what the report needs: what is missing. */
  readonly noData?: string;
  /** What to fix in how the report is configured (e.g. a bad SLO annotation). */
  readonly notes?: readonly string[];
}

/** An instance (container, process) of an application; figures are the last seen. */
export interface InstanceView {
  readonly id: string;
  /** The node's name (machine id), as `/api/v1/nodes/<name>` takes it. */
  readonly node: string;
  readonly images: readonly string[];
  /** `ip:port` it listens on. */
  readonly listens: readonly string[];
  /** Reported recently. */
  readonly up: boolean;
  /** Null when there was no sample in the range. */
  readonly cpuCores: number | null;
  readonly memoryRssBytes: number | null;
}

/**
 * Traffic between an application and one peer, every connection of the pair merged: `upstreams`
 * are peers it calls, `downstreams` peers that call it.
 */
export interface ConnectionView {
  readonly appId: string;
  /** L7 protocols seen (`http`, `postgres`, …), sorted; empty for plain TCP. */
  readonly protocols: readonly string[];
  readonly requestsPerSecond: GridSeriesJson;
  readonly errorsPerSecond: GridSeriesJson;
  readonly latencyP95Seconds: GridSeriesJson;
  readonly retransmitsPerSecond: GridSeriesJson;
  readonly failedConnectsPerSecond: GridSeriesJson;
}

/** Before/after figures of a deployment (packages/audit deployments/detect.ts); null = no data. */
export interface DeploymentFigures {
  /** Failed share of inbound requests, 0–1. */
  readonly errorRate: number | null;
  /** p95 of inbound requests. */
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

/** `GET /api/v1/apps/<appId>`: the overview row and everything behind it. */
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

/** `GET /api/v1/deployments`: rollouts of every application in the range, newest first. */
export interface DeploymentsResponse {
  readonly deployments: readonly DeploymentView[];
}

/** An application on the service map: its overview row without the per-report cells. */
export type MapNode = Omit<ApplicationRow, 'reports'>;

/** One caller → callee pair of the service map, means over the window; null = no data. */
export interface MapEdge {
  readonly from: string;
  readonly to: string;
  readonly protocols: readonly string[];
  readonly requestsPerSecond: number | null;
  /** Failed share of requests, 0..1. */
  readonly errorRate: number | null;
  readonly latencyP95Seconds: number | null;
  readonly failedConnectsPerSecond: number | null;
  readonly retransmitsPerSecond: number | null;
  readonly rttSeconds: number | null;
  /** The edge's own verdict: >1% errors or any failed connect warns, >10% errors is critical. */
  readonly health: HealthStatus;
}

/** `GET /api/v1/overview/map`. */
export interface ServiceMapResponse {
  readonly grid: TimeGrid;
  readonly nodes: readonly MapNode[];
  readonly edges: readonly MapEdge[];
}

/** A row of `GET /api/v1/overview/nodes`: figures are the newest in the range; null = no data. */
export interface NodeRow {
  /** machine_id; what `/api/v1/nodes/<name>` is looked up by (the hostname works too). */
  readonly name: string;
  readonly hostname: string;
  readonly ips: readonly string[];
  readonly cpuCores: number | null;
  readonly cpuUsagePercent: number | null;
  readonly cpuUsagePercentMax: number | null;
  readonly memoryTotalBytes: number | null;
  readonly memoryUsedPercent: number | null;
  /**
   * Bytes per second through the node's own NICs, each way: `lo`, container veths, bridges and
   * tunnels are left out, as they carry the same bytes again (packages/model node-network.ts).
   */
  readonly networkReceivedBytesPerSecond: number | null;
  readonly networkTransmittedBytesPerSecond: number | null;
  /** Containers and processes on the node. */
  readonly instances: number;
  /** The agent reported CPU recently. */
  readonly up: boolean;
}

/** `GET /api/v1/overview/nodes`. */
export interface NodesOverview {
  readonly grid: TimeGrid;
  readonly nodes: readonly NodeRow[];
}

/** A container or process on a node, with its series. */
export interface NodeContainer {
  readonly id: string;
  readonly appId: string;
  readonly category: string;
  readonly cpuCores: GridSeriesJson;
  readonly memoryRssBytes: GridSeriesJson;
}

/** One network interface's traffic, bytes per second each way. */
export interface NodeInterfaceTraffic {
  readonly receivedBytesPerSecond: GridSeriesJson;
  readonly transmittedBytesPerSecond: GridSeriesJson;
}

/** A node's series. */
export interface NodeCharts {
  readonly cpuUsagePercent: GridSeriesJson;
  readonly memoryTotalBytes: GridSeriesJson;
  readonly memoryAvailableBytes: GridSeriesJson;
  /** Busy seconds per second, by device. */
  readonly diskIoTime: Readonly<Record<string, GridSeriesJson>>;
  /** By interface: the NICs the row's network figures add up. */
  readonly network: Readonly<Record<string, NodeInterfaceTraffic>>;
}

/** `GET /api/v1/nodes/<name>`. */
export interface NodeView extends NodeRow {
  readonly grid: TimeGrid;
  readonly charts: NodeCharts;
  readonly containers: readonly NodeContainer[];
}

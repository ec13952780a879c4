/**
 * The world: what the model knows about the system over one time window. Every series shares
 * `grid`. Built by build-world.ts from cached query results; read by @vigil/audit and the API.
 *
 * ```
 *  Node ──hosts──► Instance ◄──has── Application ──upstreams──► Connection ──to──► Application
 *                  (container)                    ◄─downstreams─            (or an external one)
 * ```
 */
import type { InterfaceTraffic } from './node-network.ts';
import type { TimeGrid, TimeSeries } from './time-series.ts';

/** Where an application comes from, read off its id. */
export type AppKind = 'kubernetes' | 'docker' | 'systemd' | 'process' | 'external';

/** L7 protocols with Coroot's metric names (`container_<protocol>_…`). */
export const L7_PROTOCOLS = [
  'http',
  'postgres',
  'mysql',
  'redis',
  'memcached',
  'mongo',
  'kafka',
  'rabbitmq',
  'nats',
  'dns',
] as const;
export type L7Protocol = (typeof L7_PROTOCOLS)[number];

/** A histogram bucket's rate: requests per second that took at most `le` seconds. */
export interface HistogramBucket {
  readonly le: number;
  readonly rate: TimeSeries;
}

/** Requests of one protocol: rate per second by status (`2xx`, `5xx`, `ok`, `failed`, …) and latency buckets. */
export interface L7Stats {
  readonly requestsByStatus: ReadonlyMap<string, TimeSeries>;
  /** Cumulative buckets, ascending `le`, `+Inf` last; empty when the agent sends none. */
  readonly histogram: readonly HistogramBucket[];
}

export interface TcpStats {
  /** Successful connects per second. */
  readonly connects: TimeSeries;
  readonly failedConnects: TimeSeries;
  readonly retransmits: TimeSeries;
  readonly activeConnections: TimeSeries;
  /** Round-trip time, seconds (the agent's `container_net_latency_seconds`). */
  readonly rttSeconds: TimeSeries;
}

/** One instance's outbound traffic to one destination address. */
export interface Connection {
  /** The calling application and instance (container id). */
  readonly fromApp: string;
  readonly fromInstance: string;
  /** `ip:port` (or name:port) as the caller saw it. */
  readonly destination: string;
  /** After NAT, when the agent resolved it; else = destination. */
  readonly actualDestination: string;
  /** The application listening there, or an external application named after the address. */
  readonly toApp: string;
  /** The instance listening there, when known. */
  readonly toInstance?: string;
  readonly l7: ReadonlyMap<L7Protocol, L7Stats>;
  readonly tcp: TcpStats;
}

export interface RuntimeStats {
  readonly jvmSafepointSeconds: TimeSeries;
  readonly pythonGilWaitSeconds: TimeSeries;
  readonly nodejsEventLoopBlockedSeconds: TimeSeries;
}

export interface LabelledSeriesData {
  readonly labels: Readonly<Record<string, string>>;
  readonly series: TimeSeries;
}

export interface Volume {
  readonly mountPoint: string;
  readonly device: string;
  readonly usedBytes: TimeSeries;
  readonly sizeBytes: TimeSeries;
}

export interface LogStats {
  /** Messages per step (increase over each step), by level. */
  readonly byLevel: ReadonlyMap<string, TimeSeries>;
  /** Warning-and-above patterns: hash → level, sample, messages per step. */
  readonly patterns: ReadonlyMap<string, { level: string; sample: string; messages: TimeSeries }>;
}

export interface Instance {
  /** The container id (`/k8s/ns/pod/container`, `/docker/name`, `/system.slice/unit`, …). */
  readonly id: string;
  readonly appId: string;
  /** The node's machine id. */
  readonly node: string;
  /** 1 while the agent reports the instance, NaN when it does not. */
  readonly up: TimeSeries;
  readonly images: readonly string[];
  /** `ip:port` it listens on. */
  readonly listens: readonly string[];
  readonly cpuUsageCores: TimeSeries;
  readonly cpuLimitCores: TimeSeries;
  /** Seconds throttled per second. */
  readonly cpuThrottled: TimeSeries;
  readonly memoryRssBytes: TimeSeries;
  readonly memoryLimitBytes: TimeSeries;
  /** Raw counters, read with counterIncrease. */
  readonly oomKills: TimeSeries;
  readonly restarts: TimeSeries;
  readonly volumes: readonly Volume[];
  readonly logs: LogStats;
  /** DNS requests it made (`container_dns_requests_*`, labels request_type, domain, status). */
  readonly dns: L7Stats | undefined;
  /** Runtime signals, per second: JVM safepoint time, Python GIL wait, Node.js event-loop blocked time. */
  readonly runtime: RuntimeStats;
  /** Seconds per second the container waited for memory (PSI "some") and for disk I/O. */
  readonly memoryPressure: TimeSeries;
  readonly diskDelay: TimeSeries;
  /**
   * What the cluster agent reports about the database this instance runs, by model query id
   * (`pg_up`, `pg_latency_seconds`, `redis_up`, …), matched through its `address` label.
   */
  readonly database: ReadonlyMap<string, readonly LabelledSeriesData[]>;
  /** Inbound requests it served (`container_<proto>_inbound_…`), per protocol. */
  readonly inbound: ReadonlyMap<L7Protocol, L7Stats>;
  readonly upstreams: readonly Connection[];
}

export interface Application {
  readonly id: string;
  readonly kind: AppKind;
  /** Kubernetes namespace, else ''. */
  readonly namespace: string;
  /** Short display name: workload, container, unit or address. */
  readonly name: string;
  /** application | monitoring | control-plane | … (configurable by glob, see categories.ts). */
  readonly category: string;
  /** Detected types (`postgres`, `redis`, `nginx`, `java`, …). */
  readonly types: readonly string[];
  readonly instances: readonly Instance[];
  /** Connections from this application's instances. */
  readonly upstreams: readonly Connection[];
  /** Connections from other applications to this one. */
  readonly downstreams: readonly Connection[];
  /**
   * A Kubernetes workload's annotations in kube-state-metrics form (`annotation_coroot_com_slo_…`),
   * when they are exported; see workload-annotations.ts.
   */
  readonly annotations?: Readonly<Record<string, string>>; /**
   * How many instances the orchestrator is asked to run (a Kubernetes workload's replicas), when
   * the cluster agent reports it; see workload-replicas.ts.
   */
  readonly desiredInstances?: TimeSeries;
}

export interface NodeInfo {
  /** machine_id. */
  readonly name: string;
  readonly hostname: string;
  readonly cpuUsagePercent: TimeSeries;
  readonly cpuCores: TimeSeries;
  readonly memoryTotalBytes: TimeSeries;
  readonly memoryAvailableBytes: TimeSeries;
  /** Busy seconds per second, by device. */
  readonly diskIoTime: ReadonlyMap<string, TimeSeries>;
  /**
   * Bytes per second through each network interface, every one the agent reports (`lo` and
   * container veths included); node-network.ts says which count toward the node's traffic.
   */
  readonly network: ReadonlyMap<string, InterfaceTraffic>;
  readonly ips: readonly string[];
  readonly instances: readonly Instance[];
}

export interface World {
  readonly grid: TimeGrid;
  readonly nodes: readonly NodeInfo[];
  readonly applications: readonly Application[];
  /** Query ids whose cached data did not cover the whole window. */
  readonly incomplete: readonly string[];
}

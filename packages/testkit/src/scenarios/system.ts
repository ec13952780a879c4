/**
 * A small simulated system that writes the metric history its agents would have pushed:
 * the series of Coroot's node agent (names and labels as in shared reference coroot-compat.md),
 * raw, every `scrapeMs`, counters cumulative. Scenario tests build the model from it and
 * check what the inspections, SLOs and root-cause analysis conclude.
 *
 * Requests flow from entry points through calls; each application's latency is its own service
 * time plus the calls it makes, and errors propagate upstream, so a fault injected on one
 * application shows where it would in a real system: on the faulty app, on its callers, and on
 * the SLO of the entry point.
 *
 * ```
 *   entry rps ─► frontend ─(http, 1/req)─► api ─(postgres, 3/req)─► postgres
 *                                           └─(redis, 2/req)──────► redis
 * ```
 *
 * Pod addresses (10.42.0.x) are label values only: nothing is ever sent to them.
 */
import type { Effect } from './effects.ts';

export type Protocol = 'http' | 'postgres' | 'mysql' | 'redis' | 'memcached';

export interface AppSpec {
  /** `/k8s/<ns>/<workload>` */
  readonly id: string;
  readonly node: string;
  readonly instances: number;
  /** `container_application_type`, e.g. `postgres`. */
  readonly type?: string;
  /** The protocol it serves and its port. */
  readonly serves: Protocol;
  readonly port: number;
  readonly image: string;
  /** Own time per request (without its calls), seconds. */
  readonly serviceSeconds: number;
  /** CPU cores per instance at rest, plus per request per second. */
  readonly cpuBaseCores: number;
  readonly cpuPerRequest: number;
  readonly cpuLimitCores?: number;
  readonly memoryBytes: number;
  readonly memoryLimitBytes?: number;
  /** One data volume. */
  readonly volume?: { readonly mountPoint: string; readonly sizeBytes: number; readonly usedBytes: number };
  /** Share of requests that fail on their own. */
  readonly errorRate: number;
  /** Info log lines per second per instance. */
  readonly infoLogsPerSecond: number;
  /** Name lookups per second per instance, answered in a millisecond unless an effect says otherwise. */
  readonly dnsLookupsPerSecond?: number;
  /** A managed runtime the agent measures, and its usual stop-the-world share. */
  readonly runtime?: { readonly kind: 'jvm' | 'nodejs' | 'python'; readonly pausedSecondsPerSecond: number };
}

export interface CallSpec {
  readonly from: string;
  readonly to: string;
  /** Calls made per request `from` serves. */
  readonly perRequest: number;
}

export interface NodeSpec {
  readonly name: string;
  readonly ip: string;
  readonly cores: number;
  readonly memoryBytes: number;
}

export interface SystemSpec {
  readonly nodes: readonly NodeSpec[];
  readonly apps: readonly AppSpec[];
  readonly calls: readonly CallSpec[];
  /** Requests per second arriving from outside, by app. */
  readonly entry: Readonly<Record<string, number>>;
  /** Round-trip time between pods, seconds. */
  readonly rttSeconds: number;
}

export interface SimulationWindow {
  readonly fromMs: number;
  readonly toMs: number;
  readonly scrapeMs: number;
  readonly seed: number;
}

/** Per step, what the effects active at that time do to an app or a call. */
export interface StepState {
  serviceFactor: number;
  extraErrorRate: number;
  extraCpuCores: number;
  throttledSecondsPerSecond: number;
  memoryExtraBytes: number;
  /** 0…1: how far the first instance's RSS has climbed from its usual size to its limit (an OOM loop). */
  memoryTowardsLimit: number;
  oomKills: number;
  restarts: number;
  diskExtraBytes: number;
  image?: string;
  logs: Array<{ level: string; hash: string; sample: string; perSecond: number }>;
  dnsFailures: Array<{ status: string; share: number; latencySeconds: number }>;
  extraRuntimePauseSecondsPerSecond: number;
  /** Instances that do not run (pods pending): the last ones of the app. */
  missingInstances: number;
}

export interface CallState {
  extraRttSeconds: number;
  retransmitsPerSecond: number;
  failedConnectsPerSecond: number;
}

export type { Effect };

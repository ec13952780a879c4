/**
 * Default thresholds of every check (shared reference coroot-compat.md, "Inspections"), and how
 * overrides combine: application overrides beat project overrides beat defaults, per check and
 * per field. The check ids are the API's keys (`GET/PUT /api/v1/inspections/...`).
 */
import type { ReportName } from '../report.ts';

export interface ThresholdSpec {
  readonly report: ReportName;
  readonly title: string;
  /** Unit of `warning`/`critical`: `%`, `s`, `s/s`, `count`, `%/h`. */
  readonly unit: string;
  /** Above this (strictly) the check warns; `critical` where the check has a second level. */
  readonly warning: number;
  readonly critical?: number;
}

export const DEFAULT_THRESHOLDS = {
  slo_availability: { report: 'SLO', title: 'Availability objective', unit: '%', warning: 99 },
  slo_latency: {
    report: 'SLO',
    title: 'Latency objective (share of requests under 500 ms)',
    unit: '%',
    warning: 99,
  },
  instances_availability: { report: 'Instances', title: 'Available instances', unit: '%', warning: 75 },
  instances_restarts: { report: 'Instances', title: 'Restarts', unit: 'count', warning: 1 },
  cpu_node: { report: 'CPU', title: 'Node CPU utilisation', unit: '%', warning: 80 },
  cpu_container: { report: 'CPU', title: 'CPU usage vs the container limit', unit: '%', warning: 80 },
  cpu_throttling: { report: 'CPU', title: 'CPU throttling', unit: 's/s', warning: 0.05 },
  memory_oom: { report: 'Memory', title: 'Out-of-memory kills', unit: 'count', warning: 0, critical: 0 },
  memory_leak: { report: 'Memory', title: 'Memory growth (leak)', unit: '%/h', warning: 10 },
  memory_pressure: { report: 'Memory', title: 'Memory pressure', unit: 's/s', warning: 0.02 },
  storage_space: { report: 'Storage', title: 'Disk space used', unit: '%', warning: 80, critical: 95 },
  storage_io: { report: 'Storage', title: 'Disk I/O load', unit: 's/s', warning: 5 },
  net_rtt: { report: 'Net', title: 'Round-trip time to upstreams in the cluster', unit: 's', warning: 0.01 },
  net_rtt_external: {
    report: 'Net',
    title: 'Round-trip time to external upstreams',
    unit: 's',
    warning: 0.2,
  },
  net_retransmits: { report: 'Net', title: 'TCP retransmissions', unit: '/s', warning: 1 },
  net_failed_connects: { report: 'Net', title: 'Failed TCP connections', unit: 'count', warning: 0 },
  net_upstreams: { report: 'Net', title: 'Unavailable upstreams', unit: 'count', warning: 0 },
  logs_errors: { report: 'Logs', title: 'Errors in logs', unit: 'count', warning: 0 },
  deployments_stuck: { report: 'Deployments', title: 'Rollout in progress', unit: 's', warning: 180 },
  postgres_availability: { report: 'Postgres', title: 'Postgres availability', unit: 'count', warning: 0 },
  postgres_latency: { report: 'Postgres', title: 'Postgres query latency', unit: 's', warning: 0.1 },
  postgres_connections: {
    report: 'Postgres',
    title: 'Connections (share of max_connections)',
    unit: '%',
    warning: 90,
  },
  mysql_availability: { report: 'MySQL', title: 'MySQL availability', unit: 'count', warning: 0 },
  mysql_replication_lag: { report: 'MySQL', title: 'Replication lag', unit: 's', warning: 30 },
  redis_availability: { report: 'Redis', title: 'Redis availability', unit: 'count', warning: 0 },
  redis_latency: { report: 'Redis', title: 'Redis command latency', unit: 's', warning: 0.005 },
  memcached_availability: { report: 'Memcached', title: 'Memcached availability', unit: 'count', warning: 0 },
  mongodb_availability: { report: 'MongoDB', title: 'MongoDB availability', unit: 'count', warning: 0 },
  dns_latency: { report: 'DNS', title: 'DNS p95 latency', unit: 's', warning: 0.1 },
  dns_errors: { report: 'DNS', title: 'DNS server errors', unit: 'count', warning: 0 },
  dns_nxdomain: { report: 'DNS', title: 'NXDOMAIN answers', unit: 'count', warning: 0 },
  runtime_jvm_safepoints: { report: 'Runtimes', title: 'JVM safepoint time', unit: 's/s', warning: 0.05 },
  runtime_python_gil: { report: 'Runtimes', title: 'Python GIL wait', unit: 's/s', warning: 0.05 },
  runtime_nodejs_event_loop: {
    report: 'Runtimes',
    title: 'Node.js event loop blocked',
    unit: 's/s',
    warning: 0.7,
  },
} as const satisfies Record<string, ThresholdSpec>;

export type CheckId = keyof typeof DEFAULT_THRESHOLDS;
export const CHECK_IDS = Object.keys(DEFAULT_THRESHOLDS) as CheckId[];

export function isCheckId(id: string): id is CheckId {
  return Object.hasOwn(DEFAULT_THRESHOLDS, id);
}

export interface ThresholdOverride {
  readonly warning?: number;
  readonly critical?: number;
  /** A disabled check is reported as OK with "disabled". */
  readonly disabled?: boolean;
}

export type Overrides = Readonly<Partial<Record<CheckId, ThresholdOverride>>>;

export interface EffectiveThreshold {
  readonly warning: number;
  readonly critical: number | undefined;
  readonly disabled: boolean;
  readonly unit: string;
  readonly title: string;
}

export class Thresholds {
  constructor(
    private readonly project: Overrides = {},
    private readonly application: Overrides = {},
  ) {}

  get(id: CheckId): EffectiveThreshold {
    const d: ThresholdSpec = DEFAULT_THRESHOLDS[id];
    const p = this.project[id] ?? {};
    const a = this.application[id] ?? {};
    return {
      warning: a.warning ?? p.warning ?? d.warning,
      critical: a.critical ?? p.critical ?? d.critical,
      disabled: a.disabled ?? p.disabled ?? false,
      unit: d.unit,
      title: d.title,
    };
  }
}

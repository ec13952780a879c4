/**
 * The vocabulary of root-cause analysis: a candidate cause is one signal (a series on the
 * world's grid) about one application, its instance, its node or one of its outbound edges.
 */
import type { TimeSeries } from '@vigil/model';

/** Which way a signal moves when something is wrong. */
export type SignalDirection = 'up' | 'down';

/** What a candidate measures; one generic scoring treats every kind alike. */
export type CandidateKind =
  | 'l7_error_rate'
  | 'l7_latency'
  | 'tcp_rtt'
  | 'tcp_retransmits'
  | 'tcp_failed_connects'
  | 'cpu_usage'
  | 'cpu_throttling'
  | 'memory_usage'
  | 'memory_pressure'
  | 'oom_kills'
  | 'restarts'
  | 'volume_usage'
  | 'volume_fill_rate'
  | 'disk_delay'
  | 'runtime_pause'
  | 'log_pattern'
  | 'node_cpu'
  | 'node_disk_io'
  | 'deployment';

/**
 * Where a kind sits on a dependency hop, for ordering candidates that move together: an edge
 * into an application (its latency as its caller sees it) is a symptom of that application's
 * own resources, logs and rollouts, which in turn may be a symptom of the node beneath it.
 */
export type CandidateLayer = 'edge' | 'own' | 'node';

export const LAYER_OF_KIND: Readonly<Record<CandidateKind, CandidateLayer>> = {
  l7_error_rate: 'edge',
  l7_latency: 'edge',
  tcp_rtt: 'edge',
  tcp_retransmits: 'edge',
  tcp_failed_connects: 'edge',
  cpu_usage: 'own',
  cpu_throttling: 'own',
  memory_usage: 'own',
  memory_pressure: 'own',
  oom_kills: 'own',
  restarts: 'own',
  volume_usage: 'own',
  volume_fill_rate: 'own',
  disk_delay: 'own',
  runtime_pause: 'own',
  log_pattern: 'own',
  deployment: 'own',
  node_cpu: 'node',
  node_disk_io: 'node',
};

/** One signal that might explain the symptom. */
export interface CauseCandidate {
  /** Unique within one `collectCandidates` result and stable across runs. */
  readonly id: string;
  readonly kind: CandidateKind;
  /** The application the signal is about; for an edge, the destination (the one being called). */
  readonly applicationId: string;
  /** Its display name, for explanations. */
  readonly applicationName: string;
  /** For an edge: the calling application. */
  readonly fromApplicationId?: string;
  /** Set when the signal is about one instance (container id). */
  readonly instanceId?: string;
  /** Hops from the analysed application along upstream connections: 0 = itself. */
  readonly depth: number;
  /** What it measures, without the application's name: "CPU throttling", "→ postgres latency p95". */
  readonly title: string;
  readonly unit: string;
  readonly series: TimeSeries;
  readonly direction: SignalDirection;
  /** L7 edges: calls the caller makes per request it serves (mean), when it serves any we saw. */
  readonly callsPerRequest?: number;
}

/** A rollout, handed in by the deployments detector. */
export interface RcaDeployment {
  readonly applicationId: string;
  readonly atMs: number;
  /** "image api:1.4 → api:1.5". */
  readonly description: string;
}

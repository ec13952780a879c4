/**
 * Where the symptom comes from, following the dependency graph: a latency or error increase that
 * an application only relays from an upstream should be blamed on the upstream.
 *
 * ```
 *  frontend latency ↑ ──► edge frontend→api latency ↑ (strong, moves with it, accounts for
 *                          ≥ 30% of the rise) ──► api ──► edge api→postgres latency ↑ ──► postgres
 *                                                                          (no such edge) = focus
 * ```
 *
 * Starting at the analysed application, repeatedly step to the destination of the strongest
 * outbound edge that measures the same thing as the symptom (L7 latency for a latency symptom,
 * L7 errors for an error symptom), is a strong candidate, moves with the symptom and whose own
 * rise accounts for at least a third of the symptom's: for latency, the edge's rise times the
 * calls made per request (three slower queries per request add three times the delay); for
 * errors, the rise itself (a failed call fails the request at most once). The applications passed on the way relay the fault:
 * their own signals (and the edges between them) are "explained by the upstream" — a busy CPU on
 * the frontend did not make postgres slow, even if it started a few minutes earlier.
 */
import type { CauseCandidate, CandidateKind } from './types.ts';

export type SymptomKind = 'latency' | 'errors';

/** Strength an edge needs to carry the focus upstream. */
const FOCUS_SCORE = 0.4;
const FOCUS_CORRELATION = 0.7;
/** The edge's rise, as a share of the symptom's, in the same unit. */
const FOCUS_SHARE = 0.3;

export interface FocusInput {
  readonly candidate: CauseCandidate;
  readonly score: number;
  readonly correlation: number;
  /** windowMean − baselineMedian, in the candidate's unit. */
  readonly rise: number;
}

export interface Focus {
  /** The analysed application first, the focus last. */
  readonly path: readonly string[];
  readonly focus: string;
}

const EDGE_KIND: Readonly<Record<SymptomKind, CandidateKind>> = {
  latency: 'l7_latency',
  errors: 'l7_error_rate',
};

export function findFocus(
  applicationId: string,
  kind: SymptomKind,
  symptomRise: number,
  scored: readonly FocusInput[],
): Focus {
  const path = [applicationId];
  let current = applicationId;
  for (;;) {
    let best: FocusInput | undefined;
    for (const s of scored) {
      const c = s.candidate;
      if (c.kind !== EDGE_KIND[kind] || c.fromApplicationId !== current || path.includes(c.applicationId))
        continue;
      if (s.score < FOCUS_SCORE || s.correlation < FOCUS_CORRELATION) continue;
      const contribution = kind === 'latency' ? s.rise * Math.max(1, c.callsPerRequest ?? 1) : s.rise;
      if (!(symptomRise > 0) || !(contribution >= FOCUS_SHARE * symptomRise)) continue;
      if (best === undefined || s.score > best.score || (s.score === best.score && c.id < best.candidate.id))
        best = s;
    }
    if (best === undefined) return { path, focus: current };
    current = best.candidate.applicationId;
    path.push(current);
  }
}

/**
 * Whether a candidate only relays the fault: it is about an application on the path above the
 * focus (its own signals, its node), or an edge into such an application.
 */
export function isRelay(c: CauseCandidate, focus: Focus): boolean {
  const above = focus.path.slice(0, -1);
  return above.includes(c.applicationId);
}

/**
 * How directly a kind of signal can be a cause: a change (a rollout) causes what follows it;
 * saturated or failing resources (CPU, memory, disk, network, runtime pauses) cause slow or
 * failed requests; request latency, errors and error logs are how a fault shows. Used to order
 * candidates that move together, after their onsets.
 */
export const CAUSE_CLASS: Readonly<Record<CandidateKind, number>> = {
  deployment: 3,
  cpu_usage: 2,
  cpu_throttling: 2,
  memory_usage: 2,
  memory_pressure: 2,
  oom_kills: 2,
  restarts: 2,
  volume_usage: 2,
  volume_fill_rate: 2,
  disk_delay: 2,
  runtime_pause: 2,
  node_cpu: 2,
  node_disk_io: 2,
  tcp_rtt: 2,
  tcp_retransmits: 2,
  tcp_failed_connects: 2,
  l7_latency: 1,
  l7_error_rate: 1,
  log_pattern: 1,
};

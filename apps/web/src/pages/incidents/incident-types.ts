/**
 * The JSON of the incident routes (apps/server/src/api/incident-routes.ts): a stored incident
 * (configdb `StoredIncident`) with `timeline` and `rca` lifted out of its body; the timeline's
 * events and the RCA are @vigil/audit's `IncidentEvent` and `RcaResult` as JSON.
 */
import type { SeriesJson } from '../../components/charts/chart-types.ts';

/** An incident's severity. */
export type Severity = 'warning' | 'critical';

/** A burn-rate rule that was firing when an event happened. */
export interface BurnReason {
  readonly slo: 'availability' | 'latency';
  readonly severity: Severity;
  /** The burn-rate factor the rule fires at (14.4×, 6×). */
  readonly factor: number;
  readonly longWindowMs: number;
  readonly shortWindowMs: number;
  readonly longBurnRate: number;
  readonly shortBurnRate: number;
}

/** One step of an incident's timeline. */
export interface IncidentEvent {
  readonly atMs: number;
  readonly type: 'opened' | 'severity_changed' | 'resolved';
  /** The severity after the event. */
  readonly severity: Severity;
  /** Rules firing at that point; empty on `resolved`. */
  readonly reasons: readonly BurnReason[];
}

/** An item of `GET /api/v1/incidents` (newest first). */
export interface IncidentSummary {
  readonly id: string;
  readonly appId: string;
  readonly openedAtMs: number;
  /** Null while open. */
  readonly resolvedAtMs: number | null;
  readonly severity: Severity;
  readonly worstSeverity: Severity;
  readonly timeline: readonly IncidentEvent[];
}

/** `GET /api/v1/incidents`. */
export interface IncidentList {
  readonly incidents: readonly IncidentSummary[];
}

/** A time window, Unix ms, both ends included. */
export interface RcaWindow {
  readonly fromMs: number;
  readonly toMs: number;
}

/** The parts of a cause's score. */
export interface ScoreParts {
  readonly anomaly: number;
  readonly zScore: number;
  readonly baselineMedian: number | null;
  readonly windowMean: number | null;
  readonly correlation: number;
  readonly timing: number;
  readonly onsetMs: number | null;
  /** Symptom onset − candidate onset: positive when the candidate moved first. */
  readonly leadMs: number | null;
}

/** A candidate cause, ranked. */
export interface RankedCause {
  /** 1-based. */
  readonly rank: number;
  readonly id: string;
  readonly kind: string;
  readonly applicationId: string;
  readonly applicationName: string;
  readonly fromApplicationId?: string;
  readonly instanceId?: string;
  readonly title: string;
  readonly unit: string;
  readonly depth: number;
  /** [0, 1]. */
  readonly score: number;
  readonly parts: ScoreParts;
  readonly explanation: string;
  /** The id of a cause listed above that this one moves with. */
  readonly explainedBy?: string;
  /** On an application that only relays the fault from upstream. */
  readonly relay: boolean;
  readonly evidence: { readonly series: SeriesJson; readonly window: RcaWindow };
}

/** A root-cause analysis. */
export interface RcaResult {
  readonly window: RcaWindow;
  readonly baseline: RcaWindow;
  readonly symptom: { readonly series: SeriesJson; readonly onsetMs: number | null };
  readonly focus?: { readonly path: readonly string[]; readonly focus: string };
  readonly causes: readonly RankedCause[];
}

/** What the incident loop stores when the analysis itself failed. */
export interface RcaFailure {
  readonly error: string;
}

/** `GET /api/v1/incidents/<id>`. */
export interface IncidentDetail extends IncidentSummary {
  /** Null for incidents stored before RCA ran. */
  readonly rca: RcaResult | RcaFailure | null;
}

/** `GET /api/v1/apps/<appId>/slo`: the objectives configured now (they may have changed since). */
export interface SloSettings {
  readonly config: {
    readonly availability: { readonly objectivePercent: number } | null;
    readonly latency: { readonly objectivePercent: number; readonly thresholdMs?: number } | null;
  };
  readonly default: boolean;
}

/**
 * Shapes of Vigil's JSON API for incidents and root-cause analysis
 * (apps/server/src/api/incident-routes.ts): a stored incident with its timeline and RCA, as the
 * audit package computes them and JSON carries them (NaN becomes null, so numbers that may be
 * undefined are typed `number | null`). The server checks at compile time that what the audit
 * produces is assignable to these types, so the two cannot drift apart silently.
 */

/** An incident's severity. */
export type IncidentSeverity = 'warning' | 'critical';

/** A series on a fixed grid: `values[i]` is the value at `fromMs + i * stepMs`; null = no data. */
export interface GridSeriesJson {
  readonly fromMs: number;
  readonly stepMs: number;
  readonly values: ReadonlyArray<number | null>;
}

/** A burn-rate rule that was firing when an event happened, with the rates that made it fire. */
export interface BurnReason {
  readonly slo: 'availability' | 'latency';
  readonly severity: IncidentSeverity;
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
  /** The severity after the event (unchanged on `resolved`). */
  readonly severity: IncidentSeverity;
  /** Rules firing at that point; empty on `resolved`. */
  readonly reasons: readonly BurnReason[];
}

/** An item of `GET /api/v1/incidents` (newest first). */
export interface IncidentSummary {
  /** 16 hex characters, derived from the application and the opening time. */
  readonly id: string;
  readonly appId: string;
  readonly openedAtMs: number;
  /** Null while open. */
  readonly resolvedAtMs: number | null;
  readonly severity: IncidentSeverity;
  /** The worst severity it reached. */
  readonly worstSeverity: IncidentSeverity;
  readonly timeline: readonly IncidentEvent[];
}

/** `GET /api/v1/incidents`. */
export interface IncidentListResponse {
  readonly incidents: readonly IncidentSummary[];
}

/** A time window, Unix ms, both ends included. */
export interface RcaWindow {
  readonly fromMs: number;
  readonly toMs: number;
}

/** The parts a cause's score is made of. */
export interface ScoreParts {
  /** [0, 1], from the robust z-score. */
  readonly anomaly: number;
  readonly zScore: number;
  /** The baseline's median and the window's mean in the cause's unit; null without data. */
  readonly baselineMedian: number | null;
  readonly windowMean: number | null;
  /** [0, 1]. */
  readonly correlation: number;
  /** [0, 1]. */
  readonly timing: number;
  /** When the candidate departed from its baseline; null when it did not. */
  readonly onsetMs: number | null;
  /** Symptom onset − candidate onset: positive when the candidate moved first. */
  readonly leadMs: number | null;
}

/** A candidate cause, ranked. */
export interface RankedCause {
  /** 1-based. */
  readonly rank: number;
  readonly id: string;
  /** The candidate's kind, e.g. `l7_latency`, `cpu_throttling` (the audit's `CandidateKind`). */
  readonly kind: string;
  readonly applicationId: string;
  readonly applicationName: string;
  /** For an edge: the calling application. */
  readonly fromApplicationId?: string;
  readonly instanceId?: string;
  readonly title: string;
  readonly unit: string;
  readonly depth: number;
  /** [0, 1]. */
  readonly score: number;
  readonly parts: ScoreParts;
  /** "api: CPU throttling rose 12× 2 min before the error rate". */
  readonly explanation: string;
  /** The id of a cause listed above that this one moves with. */
  readonly explainedBy?: string;
  /** On an application that only relays the fault from upstream. */
  readonly relay: boolean;
  readonly evidence: { readonly series: GridSeriesJson; readonly window: RcaWindow };
}

/** A root-cause analysis: `GET /api/v1/apps/<appId>/rca`, and an incident's `rca`. */
export interface RcaResult {
  readonly window: RcaWindow;
  readonly baseline: RcaWindow;
  readonly symptom: { readonly series: GridSeriesJson; readonly onsetMs: number | null };
  /** Where the symptom was followed to: the analysed application first, the focus last. */
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

/**
 * `GET /api/v1/apps/<appId>/slo`, as far as the incident page reads it: the objectives configured
 * now (they may have changed since an incident). The full objective (its SLI source) is the
 * audit's `SloConfig`.
 */
export interface SloSettingsResponse {
  readonly config: {
    readonly availability: { readonly objectivePercent: number } | null;
    readonly latency: { readonly objectivePercent: number; readonly thresholdMs?: number } | null;
  };
  /** True while the application has no saved objectives (the defaults apply). */
  readonly default: boolean;
}

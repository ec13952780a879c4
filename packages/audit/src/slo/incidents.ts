/**
 * SLO incidents as a deterministic state machine over grid points. At each point every rule of
 * every objective is read (burn-rate.ts); then:
 *
 * ```
 *            any rule firing                         every rule of every objective recovered
 *   (none) ──────────────────► open(severity) ─────────────────────────────────────────► (none)
 *                                │   ▲   (short windows ≤ factor, or requests counted zero in them)
 *                                └───┘ worst firing rule's severity differs → severity_changed
 * ```
 *
 * An incident resolves once every rule's short window has cooled, even while a long window still
 * remembers the burst: what an SRE wants to know is whether the budget is burning now. Since every
 * rule must have recovered, not only the one that fired, with the default rules that is about
 * 15 min after the bad requests stop (the 6× rule's short window) unless that window stays under
 * 6×. A short window with no data (a scrape gap) is not recovery: an incident stays open through
 * a gap, until the data is back or none is left in the series judged (then the SLO has no signal).
 *
 * The server runs advanceIncidents each minute with the state it stored last time and series
 * covering `evaluatedThroughMs − burnLookbackMs()` to now; replayIncidents runs the same machine
 * from scratch over a whole window. Fed the same series, the two produce the same incidents.
 * Everything in IncidentState and Incident is plain JSON, so it can be stored as it is.
 */
import { createHash } from 'node:crypto';
import { timeAt, type TimeGrid } from '@vigil/model';
import { burnRates, DEFAULT_BURN_RULES, type BurnRule, type Severity } from './burn-rate.ts';
import { assertSameGrid } from './series-window.ts';
import type { SloKind, SloSignal } from './slo-signals.ts';

/** A rule that was firing when an event happened, with the burn rates that made it fire. */
export interface BurnReason {
  readonly slo: SloKind;
  readonly severity: Severity;
  readonly factor: number;
  readonly longWindowMs: number;
  readonly shortWindowMs: number;
  readonly longBurnRate: number;
  readonly shortBurnRate: number;
}

export interface IncidentEvent {
  readonly atMs: number;
  readonly type: 'opened' | 'severity_changed' | 'resolved';
  /** The incident's severity after the event (unchanged on `resolved`). */
  readonly severity: Severity;
  /** The rules firing at that point; empty on `resolved`. */
  readonly reasons: readonly BurnReason[];
}

export interface Incident {
  /** incidentId(appId, openedAtMs). */
  readonly id: string;
  readonly appId: string;
  readonly openedAtMs: number;
  /** Null while open. */
  readonly resolvedAtMs: number | null;
  readonly severity: Severity;
  /** The worst severity it reached. */
  readonly worstSeverity: Severity;
  readonly timeline: readonly IncidentEvent[];
}

/** What the server stores per application between runs. */
export interface IncidentState {
  readonly appId: string;
  /** The last grid point judged, Unix ms; null before the first run. */
  readonly evaluatedThroughMs: number | null;
  readonly open: Incident | null;
}

/** The result of a run: the state to store and what changed. */
export interface IncidentRun {
  readonly state: IncidentState;
  /** Incidents opened, changed or resolved in this run, each in its latest form (upsert by id). */
  readonly incidents: readonly Incident[];
  /** Every event of this run in time order, for notifications. */
  readonly events: ReadonlyArray<{ readonly incidentId: string; readonly event: IncidentEvent }>;
}

/**
 * Deterministic id from (application, opened at): re-running a window, or two servers running the
 * same minute, name the same incident the same way, so storing it is an idempotent upsert.
 */
export function incidentId(appId: string, openedAtMs: number): string {
  return createHash('sha256').update(`${appId}\n${openedAtMs}`).digest('hex').slice(0, 16);
}

export function initialIncidentState(appId: string): IncidentState {
  return { appId, evaluatedThroughMs: null, open: null };
}

const RANK: Record<Severity, number> = { warning: 1, critical: 2 };

/**
 * Judges every point of `grid` later than `state.evaluatedThroughMs` (all of them on the first
 * run) and returns the new state. `signals` must be on `grid`; points before the first judged one
 * only feed the windows. With no signals (every SLO turned off or without data) nothing fires,
 * so an open incident resolves at the first point judged.
 */
export function advanceIncidents(
  state: IncidentState,
  signals: readonly SloSignal[],
  grid: TimeGrid,
  rules: readonly BurnRule[] = DEFAULT_BURN_RULES,
): IncidentRun {
  for (const s of signals) assertSameGrid(grid, s.sli.total.grid, `the ${s.kind} SLI`);
  const readers = signals.map((s) => ({ kind: s.kind, rates: burnRates(s.sli, s.objectivePercent, rules) }));
  const touched = new Map<string, Incident>();
  const events: Array<{ incidentId: string; event: IncidentEvent }> = [];
  let open = state.open;
  let evaluatedThroughMs = state.evaluatedThroughMs;

  const record = (incident: Incident, event: IncidentEvent): Incident => {
    const next = { ...incident, timeline: [...incident.timeline, event] };
    touched.set(next.id, next);
    events.push({ incidentId: next.id, event });
    return next;
  };

  for (let i = 0; i < grid.points; i++) {
    const atMs = timeAt(grid, i);
    if (evaluatedThroughMs !== null && atMs <= evaluatedThroughMs) continue;
    evaluatedThroughMs = atMs;

    const reasons: BurnReason[] = [];
    let allRecovered = true;
    let worst: Severity | null = null;
    for (const { kind, rates } of readers) {
      for (const r of rates.readRules(i)) {
        if (!r.recovered) allRecovered = false;
        if (!r.firing) continue;
        reasons.push({
          slo: kind,
          severity: r.rule.severity,
          factor: r.rule.factor,
          longWindowMs: r.rule.longWindowMs,
          shortWindowMs: r.rule.shortWindowMs,
          longBurnRate: r.longBurnRate,
          shortBurnRate: r.shortBurnRate,
        });
        if (worst === null || RANK[r.rule.severity] > RANK[worst]) worst = r.rule.severity;
      }
    }

    if (open === null) {
      if (worst === null) continue;
      const id = incidentId(state.appId, atMs);
      const fresh: Incident = {
        id,
        appId: state.appId,
        openedAtMs: atMs,
        resolvedAtMs: null,
        severity: worst,
        worstSeverity: worst,
        timeline: [],
      };
      open = record(fresh, { atMs, type: 'opened', severity: worst, reasons });
    } else if (allRecovered) {
      const resolved = { ...open, resolvedAtMs: atMs };
      record(resolved, { atMs, type: 'resolved', severity: open.severity, reasons: [] });
      open = null;
    } else if (worst !== null && worst !== open.severity) {
      const worstSeverity = RANK[worst] > RANK[open.worstSeverity] ? worst : open.worstSeverity;
      open = record(
        { ...open, severity: worst, worstSeverity },
        { atMs, type: 'severity_changed', severity: worst, reasons },
      );
    }
  }

  return {
    state: { appId: state.appId, evaluatedThroughMs, open },
    incidents: [...touched.values()],
    events,
  };
}

/** Runs the machine from scratch over all of `grid`: history, and the reference tests compare with. */
export function replayIncidents(
  appId: string,
  signals: readonly SloSignal[],
  grid: TimeGrid,
  rules: readonly BurnRule[] = DEFAULT_BURN_RULES,
): IncidentRun {
  return advanceIncidents(initialIncidentState(appId), signals, grid, rules);
}

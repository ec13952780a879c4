/**
 * Root-cause scoring: how anomalous each candidate is in the window, how closely it follows the
 * symptom, and whether it started before the symptom did. Generic: every kind of candidate is
 * scored by the same formula, with no rule per scenario.
 *
 * ```
 *   baseline (default 3× window)     margin      window [fromMs, toMs]     margin
 *  ├─────────────────────────────┼────────────┼────────────────────────┼────────────┤
 *   median m, σ = 1.4826·MAD          │ onset search ─────────────────►│
 *                                     │◄──────────── correlation range ───────────────►│
 *
 *   anomaly     = h² / (h² + 3²),  h = max(0, z − 1),  z = ±(mean in window − m) / σ
 *                 (z = 4 → 0.5, z = 10 → 0.9; sign by the candidate's direction)
 *   correlation = max(0, ±Pearson, ±Spearman) of candidate and symptom over the correlation
 *                 range (sign: + when both should move the same way; see `comovement`)
 *   timing      = 1 when the candidate's onset is before the symptom's or at most
 *                 `toleranceMs` (one step) after it, then falling linearly to 0 over
 *                 `lateMs`; 0 when the candidate has no onset (it never departed)
 *
 *   score = anomaly × (0.3 + 0.7 × correlation) × timing          ∈ [0, 1]
 * ```
 *
 * Anomaly and timing gate (a signal that did not move, or moved only after the symptom, is no
 * cause); correlation weighs but does not gate, because a spiky cause (an OOM loop) follows a
 * smooth symptom loosely. Ranking then groups candidates that move together and lists the
 * earliest, furthest-upstream one first (propagation.ts).
 */
import { seriesToJson, type SeriesJson, type TimeSeries } from '@vigil/model';
import { explain } from './explain.ts';
import { findFocus, isRelay, type Focus, type SymptomKind } from './focus.ts';
import { indexAtOrAfter, onsetIndex } from './onset.ts';
import { orderByPropagation } from './propagation.ts';
import { baselineOf, comovement, definedValues } from './robust-stats.ts';
import type { CauseCandidate, CandidateKind, SignalDirection } from './types.ts';

/** A time range, Unix ms, both ends included. */
export interface RcaWindow {
  readonly fromMs: number;
  readonly toMs: number;
}

export interface ScoreOptions {
  /** Length of the baseline before the window; default 3× the window, at least 10 steps. */
  readonly baselineMs?: number;
  /** Correlation margin on both sides, and how long before the window onsets are searched; default the window's length, at least 5 steps. */
  readonly marginMs?: number;
  /** How late after the symptom an onset may be before timing reaches 0; default max(4 steps, window / 4). */
  readonly lateMs?: number;
  /** Onsets this close count as simultaneous; default one step. */
  readonly toleranceMs?: number;
  /** Which way the symptom moves when things go wrong; default 'up'. */
  readonly symptomDirection?: SignalDirection;
  /** The symptom's name in explanations; default "the symptom". */
  readonly symptomTitle?: string;
  /**
   * What the symptom measures and whose it is: with both, the analysis follows the symptom
   * upstream (focus.ts) and ranks the signals of applications that only relay it lower.
   */
  readonly symptomKind?: SymptomKind;
  readonly symptomApplicationId?: string;
}

/** A relay's signals keep this share of their score: still listed, below the focus's. */
export const RELAY_WEIGHT = 0.5;

/** Fewer defined baseline points than this: too little to call anything anomalous. */
const MIN_BASELINE_POINTS = 5;
const Z_DEADBAND = 1;
const Z_HALF = 3;
const Z_CAP = 1000;
const CORRELATION_WEIGHT = 0.7;

/** The parts a score is made of. */
export interface ScoreParts {
  /** [0, 1], from the robust z-score. */
  readonly anomaly: number;
  /** Robust z-score of the window's mean against the baseline, in the candidate's direction; |z| ≤ 1000. */
  readonly zScore: number;
  /** The baseline's median and the window's mean, in the candidate's unit; NaN (JSON null) without data. */
  readonly baselineMedian: number;
  readonly windowMean: number;
  /** [0, 1]: the larger of Pearson's r and Spearman's ρ with the symptom, in the expected direction. */
  readonly correlation: number;
  /** [0, 1]. */
  readonly timing: number;
  /** When the candidate departed from its baseline; null when it did not. */
  readonly onsetMs: number | null;
  /** Symptom onset − candidate onset: positive when the candidate moved first. */
  readonly leadMs: number | null;
}

/** A candidate ranked as a cause, ready for the API. */
export interface RankedCause {
  /** 1-based. */
  readonly rank: number;
  readonly id: string;
  readonly kind: CandidateKind;
  readonly applicationId: string;
  readonly applicationName: string;
  /** For an edge: the calling application. */
  readonly fromApplicationId?: string;
  readonly instanceId?: string;
  readonly title: string;
  readonly unit: string;
  readonly depth: number;
  /** [0, 1]; see the formula above. */
  readonly score: number;
  readonly parts: ScoreParts;
  /** "api: CPU throttling rose 12× 2 min before the error rate". */
  readonly explanation: string;
  /** Set when this candidate moves with an earlier or further-upstream one listed above it. */
  readonly explainedBy?: string;
  /** On an application that only relays the fault from its upstream (see focus.ts). */
  readonly relay: boolean;
  readonly evidence: { readonly series: SeriesJson; readonly window: RcaWindow };
}

export interface RcaResult {
  readonly window: RcaWindow;
  readonly baseline: RcaWindow;
  readonly symptom: { readonly series: SeriesJson; readonly onsetMs: number };
  /** Where the symptom was followed to, when its kind and application were given. */
  readonly focus?: Focus;
  readonly causes: readonly RankedCause[];
}

/** Index ranges and settings shared by every candidate of one analysis. */
interface Context {
  readonly symptom: TimeSeries;
  readonly window: RcaWindow;
  readonly baseline: RcaWindow;
  readonly baselineRange: readonly [number, number];
  readonly windowRange: readonly [number, number];
  readonly searchRange: readonly [number, number];
  readonly correlationRange: readonly [number, number];
  readonly symptomDirection: SignalDirection;
  readonly symptomOnsetMs: number;
  readonly toleranceMs: number;
  readonly lateMs: number;
  readonly symptomTitle: string;
}

function contextFor(symptom: TimeSeries, window: RcaWindow, options: ScoreOptions): Context {
  const { stepMs } = symptom.grid;
  const lengthMs = Math.max(0, window.toMs - window.fromMs);
  const baselineMs = options.baselineMs ?? Math.max(3 * lengthMs, 10 * stepMs);
  const marginMs = options.marginMs ?? Math.max(lengthMs, 5 * stepMs);
  const at = (tMs: number): number => indexAtOrAfter(symptom, tMs);
  const windowRange = [at(window.fromMs), at(window.toMs + 1)] as const;
  const ctx = {
    symptom,
    window,
    baseline: { fromMs: window.fromMs - baselineMs, toMs: window.fromMs - 1 },
    baselineRange: [at(window.fromMs - baselineMs), windowRange[0]] as const,
    windowRange,
    searchRange: [at(window.fromMs - marginMs), windowRange[1]] as const,
    correlationRange: [at(window.fromMs - marginMs), at(window.toMs + marginMs + 1)] as const,
    symptomDirection: options.symptomDirection ?? 'up',
    toleranceMs: options.toleranceMs ?? stepMs,
    lateMs: options.lateMs ?? Math.max(4 * stepMs, lengthMs / 4),
    symptomTitle: options.symptomTitle ?? 'the symptom',
  };
  // A symptom with no visible departure is taken to start where the window does.
  const onset = onsetOf(symptom, ctx, ctx.symptomDirection);
  return { ...ctx, symptomOnsetMs: onset ?? symptom.grid.fromMs + windowRange[0] * stepMs };
}

function onsetOf(
  s: TimeSeries,
  ctx: Omit<Context, 'symptomOnsetMs'>,
  direction: SignalDirection,
): number | null {
  const baseline = baselineOf(s, ...ctx.baselineRange);
  const i = onsetIndex(s, baseline, ...ctx.searchRange, direction);
  return i < 0 ? null : s.grid.fromMs + i * s.grid.stepMs;
}

/** The symptom's rise: its mean in the window minus its baseline median. */
function riseOf(symptom: TimeSeries, ctx: Context): number {
  const baseline = baselineOf(symptom, ...ctx.baselineRange);
  const during = definedValues(symptom, ...ctx.windowRange);
  return during.length === 0 ? NaN : during.reduce((a, b) => a + b, 0) / during.length - baseline.median;
}

function sameGrid(a: TimeSeries, b: TimeSeries): boolean {
  return (
    a.grid.fromMs === b.grid.fromMs && a.grid.stepMs === b.grid.stepMs && a.grid.points === b.grid.points
  );
}

function scoreWith(ctx: Context, c: CauseCandidate): { score: number; parts: ScoreParts } {
  if (!sameGrid(ctx.symptom, c.series)) throw new RangeError(`candidate ${c.id} is on another grid`);
  const sign = c.direction === 'up' ? 1 : -1;
  const baseline = baselineOf(c.series, ...ctx.baselineRange);
  const during = definedValues(c.series, ...ctx.windowRange);
  const windowMean = during.length === 0 ? NaN : during.reduce((a, b) => a + b, 0) / during.length;
  const usable = baseline.count >= MIN_BASELINE_POINTS && during.length > 0;
  // Capped: over a flat baseline σ is its floor and z unbounded, which reads as noise in the API.
  const z = usable ? (sign * (windowMean - baseline.median)) / baseline.sigma : 0;
  const zScore = Math.max(-Z_CAP, Math.min(Z_CAP, z));
  const h = Math.max(0, zScore - Z_DEADBAND);
  const anomaly = (h * h) / (h * h + Z_HALF * Z_HALF);

  const agree = c.direction === ctx.symptomDirection ? 1 : -1;
  const correlation = comovement(c.series, ctx.symptom, ...ctx.correlationRange, agree);

  const onsetI = usable ? onsetIndex(c.series, baseline, ...ctx.searchRange, c.direction) : -1;
  const onsetMs = onsetI < 0 ? null : c.series.grid.fromMs + onsetI * c.series.grid.stepMs;
  const leadMs = onsetMs === null ? null : ctx.symptomOnsetMs - onsetMs;
  const lateBy = leadMs === null ? Infinity : Math.max(0, -leadMs - ctx.toleranceMs);
  const timing = lateBy === Infinity ? 0 : Math.max(0, 1 - lateBy / Math.max(1, ctx.lateMs));

  const score = anomaly * (1 - CORRELATION_WEIGHT + CORRELATION_WEIGHT * correlation) * timing;
  const parts = {
    anomaly,
    zScore,
    baselineMedian: baseline.median,
    windowMean,
    correlation,
    timing,
    onsetMs,
    leadMs,
  };
  return { score, parts };
}

/** One candidate's score and its parts, for `symptom` in `window`. */
export function scoreCandidate(
  symptom: TimeSeries,
  candidate: CauseCandidate,
  window: RcaWindow,
  options: ScoreOptions = {},
): { score: number; parts: ScoreParts } {
  return scoreWith(contextFor(symptom, window, options), candidate);
}

/**
 * Candidates ranked as causes of `symptom` in `window`: scored, grouped where they move
 * together, and listed best group first, cause before consequence (see propagation.ts).
 * Deterministic: the same input gives the same output. Candidates must share the symptom's grid.
 */
export function rankCauses(
  symptom: TimeSeries,
  candidates: readonly CauseCandidate[],
  window: RcaWindow,
  options: ScoreOptions = {},
): RcaResult {
  const ctx = contextFor(symptom, window, options);
  const raw = candidates.map((candidate) => ({ candidate, ...scoreWith(ctx, candidate) }));
  const focus =
    options.symptomKind && options.symptomApplicationId
      ? findFocus(
          options.symptomApplicationId,
          options.symptomKind,
          riseOf(symptom, ctx),
          raw.map((r) => ({
            candidate: r.candidate,
            score: r.score,
            correlation: r.parts.correlation,
            rise: r.parts.windowMean - r.parts.baselineMedian,
          })),
        )
      : undefined;
  const scored = raw.map(({ candidate, score, parts }) => {
    const relay = focus !== undefined && isRelay(candidate, focus);
    return { candidate, score: relay ? score * RELAY_WEIGHT : score, parts, onsetMs: parts.onsetMs, relay };
  });
  const ordered = orderByPropagation(scored, {
    fromIndex: ctx.correlationRange[0],
    toIndex: ctx.correlationRange[1],
    toleranceMs: ctx.toleranceMs,
  });
  const causes = ordered.map(
    ({ item: { candidate: c, score, parts, relay }, explainedBy }, k): RankedCause => ({
      rank: k + 1,
      id: c.id,
      kind: c.kind,
      applicationId: c.applicationId,
      applicationName: c.applicationName,
      ...(c.fromApplicationId === undefined ? {} : { fromApplicationId: c.fromApplicationId }),
      ...(c.instanceId === undefined ? {} : { instanceId: c.instanceId }),
      title: c.title,
      unit: c.unit,
      depth: c.depth,
      score,
      parts,
      explanation: explain({
        candidate: c,
        ...parts,
        toleranceMs: ctx.toleranceMs,
        symptomTitle: ctx.symptomTitle,
      }),
      ...(explainedBy === undefined ? {} : { explainedBy }),
      relay,
      evidence: { series: seriesToJson(c.series), window },
    }),
  );
  return {
    window,
    baseline: ctx.baseline,
    symptom: { series: seriesToJson(symptom), onsetMs: ctx.symptomOnsetMs },
    ...(focus ? { focus } : {}),
    causes,
  };
}

/**
 * Root-cause analysis: candidate causes for an application's symptom, collected from the world
 * (candidates.ts), scored and ranked (score.ts). Pure and deterministic.
 */
export * from './types.ts';
export { collectCandidates, upstreamDepths, DEFAULT_MAX_DEPTH, type CandidateOptions } from './candidates.ts';
export { inboundSymptoms, type InboundSymptoms } from './symptoms.ts';
export { findOnset, type OnsetOptions } from './onset.ts';
export {
  rankCauses,
  scoreCandidate,
  type RankedCause,
  type RcaResult,
  type ScoreOptions,
  type ScoreParts,
  type RcaWindow,
} from './score.ts';
export { findFocus, isRelay, CAUSE_CLASS, type Focus, type SymptomKind } from './focus.ts';

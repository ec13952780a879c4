/**
 * Clusters messages into patterns. A message's shape (normalizeMessage: values taken out) is
 * looked up as a whole first, so the common case — a shape seen before — costs one map lookup.
 * A new shape of at least four words joins a pattern of the same length that it differs from in
 * one word (Coroot's rule), that word becoming a wildcard; otherwise it starts a pattern.
 *
 *   "Invalid user admin from <*>"   → new pattern P (named by the hash of this text)
 *   "Invalid user oracle from <*>"  → differs from P in one word: P becomes
 *                                     "Invalid user <*> from <*>", its hash stays
 *   "Invalid group staff from <*>"  → differs from P in "group" (the wildcard matches "staff"),
 *                                     but P already has its one merged word: a new pattern
 *
 * Each pattern takes in one varying word at most, and messages under four words only join their
 * exact shape: one different word in "cupsd startup succeeded" / "cupsd shutdown succeeded" is
 * a different event, and a pattern that kept generalising would end up swallowing every message
 * of its length. On the Loghub samples these limits are what lifts grouping accuracy from ~0.84
 * to ~0.97 (docs/perf.md).
 *
 * A pattern's hash is fixed when it is created, from the shape that created it, so metric series
 * keyed by it keep their name as the pattern generalises; the same messages in the same order give
 * the same hashes in any process. Memory is bounded: at most `maxPatterns` patterns, then shapes
 * that match none are counted under OVERFLOW_PATTERN; samples are cut at SAMPLE_MAX_CHARS.
 */
import { WILDCARD, normalizeMessage } from './normalize-message.ts';
import { patternHash } from './pattern-hash.ts';

export interface PatternClustererOptions {
  /** Most patterns kept (default DEFAULT_MAX_PATTERNS). */
  maxPatterns?: number;
  /**
   * Shapes remembered for the one-lookup fast path (default 20 per pattern, at most 50,000); when
   * full the memory is cleared, which costs speed, never correctness.
   */
  maxCachedShapes?: number;
}

export interface PatternMatch {
  /** 16 hex digits naming the pattern. */
  hash: string;
  /** The pattern's text, WILDCARD where its messages differ. */
  pattern: string;
  /** Whether this message created the pattern. */
  isNew: boolean;
}

export interface PatternSummary {
  hash: string;
  pattern: string;
  count: number;
  /** The first message of the pattern (its first SAMPLE_MAX_CHARS characters). */
  sample: string;
}

export const DEFAULT_MAX_PATTERNS = 1000;
/** Where messages go once the clusterer is full. */
export const OVERFLOW_PATTERN: Readonly<{ hash: string; pattern: string }> = {
  hash: patternHash('<overflow>'),
  pattern: '<other patterns>',
};

interface Pattern {
  /** Creation order: ties between equally similar patterns go to the oldest. */
  readonly index: number;
  /** The last #mostSimilar call that compared it (each pattern is compared once per call). */
  stamp: number;
  readonly hash: string;
  /** The shape that created the pattern, MERGED where later shapes differed. */
  readonly words: string[];
  /** How many positions are MERGED. */
  mergedWildcards: number;
  text: string;
  count: number;
  readonly sample: string;
}

/** Marks a pattern position that became a wildcard by merging (never produced by normalisation). */
const MERGED = '\u0000*';
const MIN_WORDS_TO_MERGE = 4;
/** Longest sample kept per pattern (a stack trace's head says what it is). */
export const SAMPLE_MAX_CHARS = 1024;

export class PatternClusterer {
  readonly #maxPatterns: number;
  readonly #maxCachedShapes: number;
  readonly #byShape = new Map<string, Pattern>();
  /**
   * Patterns by length, position (0 or 1) and the word there (MERGED included): a shape can
   * differ from a pattern in one word at most, so the pattern matches it at position 0 or 1, and
   * only those patterns are compared, not every pattern of its length.
   */
  readonly #byHead = new Map<string, Pattern[]>();
  #comparisonStamp = 0;
  readonly #all: Pattern[] = [];
  #overflowCount = 0;

  constructor(options: PatternClustererOptions = {}) {
    const maxPatterns = options.maxPatterns ?? DEFAULT_MAX_PATTERNS;
    if (!(maxPatterns >= 1)) {
      throw new RangeError(`PatternClusterer: maxPatterns must be at least 1, got ${maxPatterns}`);
    }
    this.#maxPatterns = maxPatterns;
    this.#maxCachedShapes = options.maxCachedShapes ?? Math.min(50_000, maxPatterns * 20);
    if (!(this.#maxCachedShapes >= 1)) {
      throw new RangeError(
        `PatternClusterer: maxCachedShapes must be at least 1, got ${options.maxCachedShapes}`,
      );
    }
  }

  /** Assigns one message to a pattern (creating or generalising one as needed). */
  add(message: string): PatternMatch {
    const words = normalizeMessage(message);
    const shape = words.join(' ');
    const known = this.#byShape.get(shape);
    if (known !== undefined) {
      known.count++;
      return { hash: known.hash, pattern: known.text, isNew: false };
    }
    const similar = this.#mostSimilar(words);
    if (similar !== undefined) {
      similar.count++;
      this.#remember(shape, similar);
      return { hash: similar.hash, pattern: similar.text, isNew: false };
    }
    if (this.#all.length >= this.#maxPatterns) {
      this.#overflowCount++;
      return { ...OVERFLOW_PATTERN, isNew: false };
    }
    const pattern: Pattern = {
      index: this.#all.length,
      stamp: 0,
      hash: patternHash(shape),
      words,
      mergedWildcards: 0,
      text: shape,
      count: 1,
      sample: message.slice(0, SAMPLE_MAX_CHARS),
    };
    this.#all.push(pattern);
    this.#index(pattern, 0);
    if (words.length > 1) this.#index(pattern, 1);
    this.#remember(shape, pattern);
    return { hash: pattern.hash, pattern: pattern.text, isNew: true };
  }

  /** Every pattern with its count and first message, most frequent first (overflow last). */
  patterns(): PatternSummary[] {
    const out = this.#all
      .map(({ hash, text, count, sample }) => ({ hash, pattern: text, count, sample }))
      .sort((a, b) => b.count - a.count);
    if (this.#overflowCount > 0) out.push({ ...OVERFLOW_PATTERN, count: this.#overflowCount, sample: '' });
    return out;
  }

  /** Number of patterns (not counting overflow). */
  get size(): number {
    return this.#all.length;
  }

  #remember(shape: string, pattern: Pattern): void {
    if (this.#byShape.size >= this.#maxCachedShapes) this.#byShape.clear();
    this.#byShape.set(shape, pattern);
  }

  #index(pattern: Pattern, position: 0 | 1): void {
    const key = headKey(pattern.words.length, position, pattern.words[position] ?? '');
    const list = this.#byHead.get(key);
    if (list === undefined) this.#byHead.set(key, [pattern]);
    else list.push(pattern);
  }

  /**
   * The pattern of the same length this shape may join (generalising it), if any: the fewest
   * differences, then the oldest pattern.
   */
  #mostSimilar(words: string[]): Pattern | undefined {
    const length = words.length;
    const allowed = allowedDifferences(length);
    const stamp = ++this.#comparisonStamp;
    let best: Pattern | undefined;
    let bestDifferences = allowed + 1;
    const heads = [headKey(length, 0, words[0] ?? ''), headKey(length, 0, MERGED)];
    if (length > 1) heads.push(headKey(length, 1, words[1]!), headKey(length, 1, MERGED));
    for (const head of heads) {
      for (const candidate of this.#byHead.get(head) ?? []) {
        if (candidate.stamp === stamp) continue;
        candidate.stamp = stamp;
        const differences = countDifferences(candidate.words, words, bestDifferences + 1);
        if (candidate.mergedWildcards + differences > allowed) continue;
        if (
          differences < bestDifferences ||
          (differences === bestDifferences && candidate.index < best!.index)
        ) {
          best = candidate;
          bestDifferences = differences;
        }
      }
    }
    if (best === undefined) return undefined;
    if (bestDifferences > 0) {
      for (let k = 0; k < words.length; k++) {
        if (best.words[k] !== MERGED && best.words[k] !== words[k]) {
          best.words[k] = MERGED;
          if (k <= 1) this.#index(best, k as 0 | 1);
        }
      }
      best.mergedWildcards += bestDifferences;
      best.text = best.words.map((w) => (w === MERGED ? WILDCARD : w)).join(' ');
    }
    return best;
  }
}

function headKey(length: number, position: 0 | 1, word: string): string {
  return `${length}\u0001${position}\u0001${word}`;
}

/** How many words of a pattern of this length may become wildcards by merging (in all). */
function allowedDifferences(length: number): number {
  return length < MIN_WORDS_TO_MERGE ? 0 : 1;
}

/**
 * Words of `words` not matched by `pattern`; stops at `limit`. A position that became a wildcard
 * by merging matches anything; one that holds a value (WILDCARD from normalisation) matches only
 * a value, or "needAutoSync autoSyncSwitch is open" would join "onExtend:<*> <*> <*> <*>".
 */
function countDifferences(pattern: readonly string[], words: readonly string[], limit: number): number {
  let differences = 0;
  for (let k = 0; k < words.length; k++) {
    const p = pattern[k];
    if (p !== MERGED && p !== words[k] && ++differences >= limit) return differences;
  }
  return differences;
}

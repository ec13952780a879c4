/**
 * Pure log processing shared by the node agent's tailers and `vigil log-patterns`: multi-line
 * assembly, level detection, JSON log lines, and pattern clustering. Nothing here does I/O.
 *
 * ```ts
 * const assembler = new MultilineAssembler();
 * const clusterer = new PatternClusterer({ maxPatterns: 256 });
 * for (const message of assembler.push(line, timestampMs)) {
 *   const json = parseJsonLine(message.text);
 *   const text = json?.message ?? message.text;
 *   const level = json?.level ?? detectLevel(text);
 *   const pattern = isPatternLevel(level) ? clusterer.add(text) : undefined;
 * }
 * // every second or so, for the last message of a stream that went quiet:
 * for (const message of assembler.flushOlderThan(Date.now())) ...
 * ```
 */
export {
  LOG_LEVELS,
  detectLevel,
  isPatternLevel,
  levelFromJournaldPriority,
  levelFromName,
  type LogLevel,
} from './level/detect-level.ts';
export {
  DEFAULT_MULTILINE_OPTIONS,
  MultilineAssembler,
  type AssembledMessage,
  type MultilineOptions,
} from './multiline/multiline-assembler.ts';
export { startsWithTimestamp } from './multiline/timestamp-prefix.ts';
export { parseJsonLine, type ParsedJsonLine } from './json/parse-json-line.ts';
export {
  DEFAULT_MAX_PATTERNS,
  OVERFLOW_PATTERN,
  SAMPLE_MAX_CHARS,
  PatternClusterer,
  type PatternClustererOptions,
  type PatternMatch,
  type PatternSummary,
} from './patterns/pattern-clusterer.ts';
export { normalizeMessage, WILDCARD } from './patterns/normalize-message.ts';
export { patternHash } from './patterns/pattern-hash.ts';
export { groupingAccuracy } from './accuracy/grouping-accuracy.ts';

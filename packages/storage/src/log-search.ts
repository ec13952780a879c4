/**
 * Turning a LogSearchQuery into SQL conditions: whole-token body search and severity matching.
 */
import type { LogSearchQuery } from '@vigil/spec';
import { attributeConditions, timeWindow } from './filters.ts';
import { sql, type Sql } from './sql.ts';

/** OTel severity number ranges per level (log data model: TRACE 1-4 … FATAL 21-24). */
export const SEVERITY_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  trace: [1, 4],
  debug: [5, 8],
  info: [9, 12],
  warn: [13, 16],
  error: [17, 20],
  fatal: [21, 24],
};

const SEVERITY_ALIASES: Readonly<Record<string, string>> = {
  warning: 'warn',
  err: 'error',
  information: 'info',
  critical: 'fatal',
};

/** The level name for a severity number (`17` → `error`), or undefined outside 1-24. */
export function severityLevel(severityNumber: number): string | undefined {
  for (const [level, [low, high]] of Object.entries(SEVERITY_RANGES)) {
    if (severityNumber >= low && severityNumber <= high) return level;
  }
  return undefined;
}

// ClickHouse's lower() (the indexed expression) folds ASCII only; folding more here would make
// "Ärger" look for "ärger", which lower(Body) never contains.
const asciiLower = (text: string): string => text.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/**
 * Splits search text into the tokens hasToken() accepts: runs of ASCII letters and digits, plus
 * any non-ASCII characters (ClickHouse treats only non-alphanumeric ASCII as separators).
 * `"Payment FAILED: card-declined"` → `['payment', 'failed', 'card', 'declined']`.
 */
export function searchTokens(text: string): string[] {
  const tokens = asciiLower(text).split(/[^a-z0-9\u0080-\uffff]+/);
  return [...new Set(tokens.filter((t) => t.length > 0))];
}

/** Severity text (case-insensitive) or the number range of the level it names. */
export function severityCondition(severity: string): Sql {
  const text = severity.trim().toLowerCase();
  const level = SEVERITY_ALIASES[text] ?? text;
  const range = SEVERITY_RANGES[level];
  const texts = [...new Set([text, level])];
  if (!range) return sql`lower(SeverityText) IN ${texts}`;
  return sql`(lower(SeverityText) IN ${texts} OR SeverityNumber BETWEEN ${range[0]} AND ${range[1]})`;
}

/** All WHERE conditions of a log search except the time window's column choice. */
export function logConditions(query: Omit<LogSearchQuery, 'limit'>): Sql[] {
  const conditions: Sql[] = [timeWindow(sql`Timestamp`, query.fromMs, query.toMs)];
  if (query.service) conditions.push(sql`ServiceName = ${query.service}`);
  if (query.severity?.trim()) conditions.push(severityCondition(query.severity));
  // One hasToken per token: each can use the token bloom filter on lower(Body).
  for (const token of searchTokens(query.search ?? '')) conditions.push(sql`hasToken(lower(Body), ${token})`);
  if (query.traceId) conditions.push(sql`TraceId = ${query.traceId.toLowerCase()}`);
  conditions.push(...attributeConditions(query.attributes, sql`LogAttributes`, sql`ResourceAttributes`));
  return conditions;
}

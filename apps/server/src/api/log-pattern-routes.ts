/**
 * `GET /api/v1/logs/patterns`: the log records matching a search, grouped into patterns with
 * packages/logs' clusterer (the node agent's and `vigil log-patterns`' grouping), each with its
 * count, a sample, its usual severity and a trend over the range.
 *
 * `otel_logs` keeps no pattern hash (records arrive from any OTLP client, not only the agent), so
 * the bodies are clustered here. The work is bounded: at most MAX_SCANNED records are read, newest
 * first, and the response says when that cut the scan short (`sampled`).
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '@vigil/core';
import { PatternClusterer, SAMPLE_MAX_CHARS, parseJsonLine } from '@vigil/logs';
import type { LogPattern, LogPatternsResponse, LogSearchQuery, LogView } from '@vigil/spec';
import { severityLevel } from '@vigil/storage';
import { parseLogQuery, type RawQuery } from './query-params.ts';
import type { TelemetryRouteDeps } from './telemetry-routes.ts';

/** Most records clustered per request: ~10 store pages, tens of milliseconds of clustering. */
export const MAX_SCANNED = 10_000;
/** Records per store query (the store's own maximum). */
const PAGE_SIZE = 1000;
/** Trend buckets over the range: enough for a sparkline's shape. */
export const TREND_BUCKETS = 30;
const DEFAULT_PATTERN_LIMIT = 50;
const MAX_PATTERN_LIMIT = 500;
const MAX_SEVERITIES = 8;

type SearchLogs = (query: LogSearchQuery) => Promise<LogView[]>;

interface PatternQuery {
  base: LogSearchQuery & { project: string | undefined };
  /** Severity levels to match, any of them; empty for all. */
  severities: string[];
  limit: number;
}

/** Splits the parameters only this route has (`limit` of patterns, `severity` as a list). */
export function parsePatternQuery(raw: RawQuery, nowMs = Date.now()): PatternQuery {
  const { limit, severity, step, ...rest } = raw;
  if (step !== undefined) throw new AppError('bad_request', 'invalid query: step does not apply to patterns');
  if (Array.isArray(limit) || Array.isArray(severity))
    throw new AppError('bad_request', 'invalid query: limit and severity are given once');
  let patternLimit = DEFAULT_PATTERN_LIMIT;
  if (limit !== undefined) {
    patternLimit = Number(limit);
    if (!/^\d+$/.test(limit) || patternLimit < 1 || patternLimit > MAX_PATTERN_LIMIT)
      throw new AppError('bad_request', `invalid query: limit must be 1-${MAX_PATTERN_LIMIT}`);
  }
  // A comma list ("error,warn") so the UI's severity multi-select needs one request.
  const severities = [...new Set((severity ?? '').split(',').map((s) => s.trim()))].filter((s) => s !== '');
  if (severities.length > MAX_SEVERITIES || severities.some((s) => s.length > 32))
    throw new AppError('bad_request', `invalid query: at most ${MAX_SEVERITIES} severities of 32 characters`);
  const base = parseLogQuery(rest, nowMs);
  return { base: { ...base, limit: PAGE_SIZE }, severities, limit: patternLimit };
}

const recordMs = (r: LogView): number => Number(BigInt(r.timestampUnixNano) / 1_000_000n);

/**
 * Reads up to `budget` records of `query`, newest first, page by page. Pages are cut at whole
 * milliseconds: the store's range is `[from, to)` in ms while records carry ns, so a page that
 * ends inside a millisecond leaves that millisecond's records to the next page rather than
 * reading some of them twice. Returns how many were read and whether that was all of them.
 */
export async function scanLogs(
  search: SearchLogs,
  query: LogSearchQuery,
  budget: number,
  visit: (record: LogView) => void,
): Promise<{ scanned: number; complete: boolean }> {
  let toMs = query.toMs;
  let scanned = 0;
  while (scanned < budget && toMs > query.fromMs) {
    const want = Math.min(PAGE_SIZE, budget - scanned);
    const page = await search({ ...query, toMs, limit: want });
    const last = page[page.length - 1];
    if (page.length < want || last === undefined) {
      for (const r of page) visit(r);
      return { scanned: scanned + page.length, complete: true };
    }
    const oldestMs = recordMs(last);
    const newer = page.filter((r) => recordMs(r) > oldestMs);
    const atBudget = scanned + page.length >= budget;
    // A whole page inside one millisecond cannot be split: keep it and skip the rest of that ms.
    const take = atBudget || newer.length === 0 ? page : newer;
    for (const r of take) visit(r);
    scanned += take.length;
    if (atBudget || newer.length === 0) return { scanned, complete: false };
    toMs = oldestMs + 1;
  }
  return { scanned, complete: toMs <= query.fromMs };
}

interface Group {
  count: number;
  sample: string;
  severities: Map<string, number>;
  trend: number[];
}

/** Clusters records into patterns; call `add` per record, then `result`. */
export class PatternGrouper {
  readonly #clusterer = new PatternClusterer();
  readonly #groups = new Map<string, Group>();
  readonly #fromMs: number;
  readonly #stepMs: number;
  readonly #buckets: number;

  constructor(fromMs: number, toMs: number, buckets = TREND_BUCKETS) {
    this.#fromMs = fromMs;
    this.#stepMs = Math.max(1000, Math.ceil((toMs - fromMs) / buckets / 1000) * 1000);
    this.#buckets = Math.max(1, Math.ceil((toMs - fromMs) / this.#stepMs));
  }

  add(record: LogView): void {
    // A JSON body is clustered by its message field, as the node agent does for JSON lines.
    const text = parseJsonLine(record.body)?.message || record.body;
    const { hash } = this.#clusterer.add(text);
    let group = this.#groups.get(hash);
    if (group === undefined) {
      const sample = record.body.slice(0, SAMPLE_MAX_CHARS);
      group = { count: 0, sample, severities: new Map(), trend: new Array<number>(this.#buckets).fill(0) };
      this.#groups.set(hash, group);
    }
    group.count++;
    const severity = record.severityText.toLowerCase() || severityLevel(record.severityNumber) || 'unknown';
    group.severities.set(severity, (group.severities.get(severity) ?? 0) + 1);
    const bucket = Math.floor((recordMs(record) - this.#fromMs) / this.#stepMs);
    if (bucket >= 0 && bucket < this.#buckets) group.trend[bucket]!++;
  }

  result(limit: number): Pick<LogPatternsResponse, 'fromMs' | 'stepMs' | 'patterns'> {
    const patterns: LogPattern[] = [];
    for (const summary of this.#clusterer.patterns()) {
      const group = this.#groups.get(summary.hash);
      if (group === undefined) continue;
      patterns.push({
        hash: summary.hash,
        pattern: summary.pattern,
        count: group.count,
        sample: group.sample,
        severity: mostFrequent(group.severities),
        trend: group.trend,
      });
    }
    patterns.sort((a, b) => b.count - a.count || a.pattern.localeCompare(b.pattern));
    return { fromMs: this.#fromMs, stepMs: this.#stepMs, patterns: patterns.slice(0, limit) };
  }
}

function mostFrequent(counts: Map<string, number>): string {
  let best = 'unknown';
  let bestCount = 0;
  for (const [name, n] of counts) {
    if (n > bestCount) {
      best = name;
      bestCount = n;
    }
  }
  return best;
}

/** Registers `GET /api/v1/logs/patterns` (called from telemetryRoutes, sharing its deps). */
export async function logPatternRoutes(app: FastifyInstance, deps: TelemetryRouteDeps): Promise<void> {
  app.get('/api/v1/logs/patterns', async (req): Promise<LogPatternsResponse> => {
    const q = parsePatternQuery(req.query as RawQuery);
    const project = await deps.auth.readableProject(req.headers, q.base.project, deps.defaultProject);
    const t = await deps.telemetry(project);
    const grouper = new PatternGrouper(q.base.fromMs, q.base.toMs);
    const search: SearchLogs = (query) => t.logs.search(query);
    let scanned = 0;
    let complete = true;
    // One scan per severity (the store matches one severity); the budget is shared.
    for (const severity of q.severities.length > 0 ? q.severities : [undefined]) {
      if (scanned >= MAX_SCANNED) {
        complete = false;
        break;
      }
      const query: LogSearchQuery = { ...q.base, ...(severity === undefined ? {} : { severity }) };
      const part = await scanLogs(search, query, MAX_SCANNED - scanned, (r) => grouper.add(r));
      scanned += part.scanned;
      complete &&= part.complete;
    }
    return { ...grouper.result(q.limit), sampled: !complete, scanned };
  });
}

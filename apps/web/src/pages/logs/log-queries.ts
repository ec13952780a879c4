/**
 * Data for the logs page. Queries are keyed by the range as written (`now-1h`) and resolve it
 * when they run, so a relative range does not make a new key on every render; each answer
 * carries the range it was resolved to, for drawing.
 */
import { useInfiniteQuery, useQuery, type InfiniteData } from '@tanstack/react-query';
import type { LogHistogram, LogPatternsResponse, LogView, ServiceSeen } from '@vigil/spec';
import { apiGet } from '../../api/client.ts';
import { resolveTime } from '../../app/time-range.ts';
import { logApiParams, type LogFilters } from '../../components/loglist/log-filters.ts';
import { oldestFirst } from '../../components/loglist/live-tail.ts';
import { recordKey } from '../../components/loglist/log-record.ts';
import {
  dropHeld,
  joinPages,
  LOG_LIMIT,
  olderPageCursor,
  type LogPage,
  type OlderCursor,
} from './older-pages.ts';

export { LOG_LIMIT } from './older-pages.ts';

interface RangeText {
  readonly from: string;
  readonly to: string;
}

function resolve(range: RangeText): { fromMs: number; toMs: number } {
  const now = Date.now();
  return { fromMs: resolveTime(range.from, now) ?? now - 3_600_000, toMs: resolveTime(range.to, now) ?? now };
}

/** One request per selected severity (the API takes one); `[undefined]` when none is selected. */
const severityList = (filters: LogFilters): Array<string | undefined> =>
  filters.severities.length > 0 ? [...filters.severities] : [undefined];

/** The newest LOG_LIMIT records in [fromMs, toMs) matching the filters, oldest first. */
export async function fetchLogs(
  filters: LogFilters,
  fromMs: number,
  toMs: number,
  signal?: AbortSignal,
): Promise<LogView[]> {
  const base = logApiParams(filters, fromMs, toMs);
  const parts = await Promise.all(
    severityList(filters).map((severity) =>
      apiGet<{ logs: LogView[] }>('/api/v1/logs', { ...base, severity, limit: LOG_LIMIT }, signal),
    ),
  );
  const unique = new Map<string, LogView>();
  for (const part of parts) for (const r of part.logs) unique.set(recordKey(r), r);
  const sorted = oldestFirst([...unique.values()]);
  return sorted.slice(Math.max(0, sorted.length - LOG_LIMIT));
}

/** The histogram over the range, per-severity requests summed bucket by bucket. */
export async function fetchHistogram(
  filters: LogFilters,
  fromMs: number,
  toMs: number,
  signal?: AbortSignal,
): Promise<LogHistogram> {
  const base = logApiParams(filters, fromMs, toMs);
  const parts = await Promise.all(
    severityList(filters).map((severity) =>
      apiGet<LogHistogram>('/api/v1/logs/histogram', { ...base, severity }, signal),
    ),
  );
  const [first, ...rest] = parts;
  if (!first) return { stepMs: 60_000, buckets: [] };
  for (const part of rest)
    part.buckets.forEach((bucket, i) => {
      const target = first.buckets[i];
      if (!target) return;
      for (const [name, n] of Object.entries(bucket.counts))
        target.counts[name] = (target.counts[name] ?? 0) + n;
    });
  return first;
}

/** The held records of a search, oldest first (a stable function: `select` then memoises). */
function joinLogPages(data: InfiniteData<LogPage, OlderCursor | undefined>) {
  return { records: joinPages(data.pages) };
}

/**
 * Messages of the search: the newest LOG_LIMIT first, then older pages on `fetchNextPage` (the
 * list asks when scrolled to its top), up to MAX_LOG_RECORDS (see older-pages.ts).
 */
export function useLogRecords(range: RangeText, filters: LogFilters) {
  return useInfiniteQuery({
    queryKey: ['logs', 'records', range.from, range.to, filters],
    initialPageParam: undefined as OlderCursor | undefined,
    queryFn: async ({ pageParam, signal }): Promise<LogPage> => {
      // Older pages stay in the range the first page resolved, however long ago that was.
      const { fromMs, toMs } = pageParam ?? resolve(range);
      const fetched = await fetchLogs(filters, fromMs, toMs, signal);
      const records = dropHeld(fetched, pageParam?.skipKeys ?? []);
      return { fromMs, toMs, records, full: fetched.length >= LOG_LIMIT };
    },
    getNextPageParam: (last, pages) =>
      olderPageCursor(
        last,
        pages.reduce((n, p) => n + p.records.length, 0),
      ),
    select: joinLogPages,
    // Comparing up to 100,000 records deeply with the previous answer on every page blocked the
    // main thread for hundreds of ms (bench/web-logs.ts); pages are new objects anyway.
    structuralSharing: false,
    // Older pages are only worth keeping while the list is open: a cached search would be
    // refetched page by page (up to 100 requests) when the user comes back; forgotten, it costs one.
    gcTime: 0,
  });
}

/** The severity histogram of the search, with the range it covers. */
export function useLogHistogram(range: RangeText, filters: LogFilters) {
  return useQuery({
    queryKey: ['logs', 'histogram', range.from, range.to, filters],
    queryFn: async ({ signal }) => {
      const { fromMs, toMs } = resolve(range);
      return { fromMs, toMs, histogram: await fetchHistogram(filters, fromMs, toMs, signal) };
    },
  });
}

/** Patterns of the search (`GET /api/v1/logs/patterns`); only fetched while the tab is open. */
export function useLogPatterns(range: RangeText, filters: LogFilters, enabled: boolean) {
  return useQuery({
    queryKey: ['logs', 'patterns', range.from, range.to, filters],
    enabled,
    queryFn: ({ signal }) => {
      const { fromMs, toMs } = resolve(range);
      const severity = filters.severities.length > 0 ? filters.severities.join(',') : undefined;
      return apiGet<LogPatternsResponse>(
        '/api/v1/logs/patterns',
        { ...logApiParams(filters, fromMs, toMs), severity, limit: 100 },
        signal,
      );
    },
  });
}

/** Services seen in the range, for the service filter. */
export function useServices(range: RangeText) {
  return useQuery({
    queryKey: ['logs', 'services', range.from, range.to],
    queryFn: async ({ signal }) => {
      const { fromMs, toMs } = resolve(range);
      return (
        await apiGet<{ services: ServiceSeen[] }>('/api/v1/services', { from: fromMs, to: toMs }, signal)
      ).services;
    },
  });
}

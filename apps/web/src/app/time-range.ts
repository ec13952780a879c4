/**
 * The selected time range, shared by every page and kept in the URL (`?from=now-1h&to=now`), so
 * every view is linkable. The shell's picker sets it; pages read it with useTimeRange().
 */
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

export interface TimeRange {
  /** As written in the URL: `now-1h`, or ms since the epoch. */
  readonly from: string;
  readonly to: string;
  /** Resolved now. */
  readonly fromMs: number;
  readonly toMs: number;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `now`, `now-15m`, `now-7d` or ms since the epoch → ms; undefined when it is neither. */
export function resolveTime(text: string, nowMs: number): number | undefined {
  if (text === 'now') return nowMs;
  const rel = /^now-(\d+)([smhdw])$/.exec(text);
  if (rel) return nowMs - Number(rel[1]) * UNIT_MS[rel[2]!]!;
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

/** The range a page shows when the URL names none: the last hour (the API's default too). */
export const DEFAULT_RANGE = { from: 'now-1h', to: 'now' } as const;

/** The picker's relative presets, newest window first in the menu. */
export const RANGE_PRESETS: ReadonlyArray<{ readonly label: string; readonly from: string }> = [
  { label: 'Last 15 minutes', from: 'now-15m' },
  { label: 'Last hour', from: 'now-1h' },
  { label: 'Last 6 hours', from: 'now-6h' },
  { label: 'Last 24 hours', from: 'now-24h' },
  { label: 'Last 7 days', from: 'now-7d' },
];

/** The range as the model API's query parameters (Unix ms). */
export function rangeParams(range: TimeRange): { from: number; to: number } {
  return { from: range.fromMs, to: range.toMs };
}

/** Writes `from`/`to` into the URL, keeping the other parameters; a new history entry. */
export function useSetTimeRange(): (from: string, to: string) => void {
  const [, setParams] = useSearchParams();
  return useCallback(
    (from: string, to: string) =>
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        next.set('from', from);
        next.set('to', to);
        return next;
      }),
    [setParams],
  );
}

/** The range in the URL, resolved against the clock now (relative ranges move with each render). */
export function useTimeRange(): TimeRange {
  const [params] = useSearchParams();
  const now = Date.now();
  const from = params.get('from') ?? DEFAULT_RANGE.from;
  const to = params.get('to') ?? DEFAULT_RANGE.to;
  const fromMs = resolveTime(from, now) ?? now - 3_600_000;
  const toMs = resolveTime(to, now) ?? now;
  return { from, to, fromMs, toMs };
}

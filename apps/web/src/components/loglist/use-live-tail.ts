/**
 * Live tail: while enabled, polls for records newer than the newest shown and merges them into
 * the list (see live-tail.ts). A new `base` (a new search) starts the tail over.
 */
import { useEffect, useRef, useState } from 'react';
import type { LogView } from '@vigil/spec';
import { DEFAULT_TAIL_CAP, mergeTail } from './live-tail.ts';
import { recordMs } from './log-record.ts';

export interface LiveTailOptions {
  /** The search's records, oldest first. */
  readonly base: readonly LogView[];
  readonly enabled: boolean;
  /** Records at or after `fromMs` (any order); the hook drops those it already shows. */
  readonly fetchSince: (fromMs: number, signal: AbortSignal) => Promise<readonly LogView[]>;
  readonly intervalMs?: number;
  readonly cap?: number;
  /** Where to start when the search found nothing (ms); defaults to now. */
  readonly startMs?: number;
}

/** The list to show: `base` plus what the tail has appended, oldest first. */
export function useLiveTail({
  base,
  enabled,
  fetchSince,
  intervalMs = 2000,
  cap = DEFAULT_TAIL_CAP,
  startMs,
}: LiveTailOptions): { records: readonly LogView[]; error: unknown } {
  const [state, setState] = useState({ base, records: base });
  const [error, setError] = useState<unknown>(undefined);
  // A new search replaces the list (state derived from props, React's documented pattern).
  if (state.base !== base) setState({ base, records: mergeTail(base, [], cap) });
  const records = state.base === base ? state.records : base;
  // The poll reads the latest list and fetcher without restarting the timer on every change.
  const latest = useRef({ records, fetchSince, startMs });
  latest.current = { records, fetchSince, startMs };

  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const { records: shown, fetchSince: fetchNewer, startMs: start } = latest.current;
      const newest = shown[shown.length - 1];
      // From the newest record's millisecond (inclusive): records in that same ms may arrive late.
      const fromMs = newest === undefined ? (start ?? Date.now()) : recordMs(newest);
      try {
        const incoming = await fetchNewer(fromMs, abort.signal);
        if (abort.signal.aborted) return;
        setError(undefined);
        setState((s) => ({ base: s.base, records: mergeTail(s.records, incoming, cap) }));
      } catch (e) {
        if (!abort.signal.aborted) setError(e);
      }
      if (!abort.signal.aborted) timer = setTimeout(() => void poll(), intervalMs);
    };
    timer = setTimeout(() => void poll(), intervalMs);
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [enabled, intervalMs, cap, base]);

  return { records, error };
}

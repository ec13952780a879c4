/**
 * The Profiles page's selections, kept in the URL next to the shared time range so every view is
 * linkable: `?service=checkout&type=ebpf:cpu:nanoseconds&compare=previous` or
 * `&compare=window&baseFrom=<ms>&baseTo=<ms>`.
 */
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { resolveTime } from '../../app/time-range.ts';

/** What the flame graph is compared with: nothing, the previous period of equal length, or a window. */
export type CompareMode = 'none' | 'previous' | 'window';

export interface ProfileSelection {
  service: string;
  /** Empty until chosen; the page then shows the first type the service has. */
  type: string;
  compare: CompareMode;
  /** Base window of `compare=window`, as written in the URL (ms or `now-…`). */
  baseFrom: string;
  baseTo: string;
}

/** URL parameters owned by this page (from/to belong to the shared time range). */
const KEYS = ['service', 'type', 'compare', 'baseFrom', 'baseTo'] as const;

function parseCompare(text: string | null): CompareMode {
  return text === 'previous' || text === 'window' ? text : 'none';
}

/** The current selection and a setter that merges a change into the URL, keeping other params. */
export function useProfileSelection(): [ProfileSelection, (change: Partial<ProfileSelection>) => void] {
  const [params, setParams] = useSearchParams();
  const selection: ProfileSelection = {
    service: params.get('service') ?? '',
    type: params.get('type') ?? '',
    compare: parseCompare(params.get('compare')),
    baseFrom: params.get('baseFrom') ?? '',
    baseTo: params.get('baseTo') ?? '',
  };
  const update = useCallback(
    (change: Partial<ProfileSelection>) =>
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        for (const key of KEYS) {
          const value = change[key];
          if (value === undefined) continue;
          // Defaults stay out of the URL so links are short.
          if (value === '' || (key === 'compare' && value === 'none')) next.delete(key);
          else next.set(key, value);
        }
        return next;
      }),
    [setParams],
  );
  return [selection, update];
}

/**
 * The base window of a comparison, in ms, or undefined when there is none (or it is incomplete
 * or inverted, which the server would reject anyway).
 */
export function baseWindow(
  selection: Pick<ProfileSelection, 'compare' | 'baseFrom' | 'baseTo'>,
  fromMs: number,
  toMs: number,
  nowMs: number,
): { fromMs: number; toMs: number } | undefined {
  if (selection.compare === 'previous') return { fromMs: fromMs - (toMs - fromMs), toMs: fromMs };
  if (selection.compare !== 'window') return undefined;
  const from = resolveTime(selection.baseFrom, nowMs);
  const to = resolveTime(selection.baseTo, nowMs);
  return from !== undefined && to !== undefined && from < to ? { fromMs: from, toMs: to } : undefined;
}

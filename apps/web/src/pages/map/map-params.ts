/**
 * The map's view settings in the URL (`?group=category&external=1&q=api`), so a view is
 * linkable and survives a reload; the time range rides along in `from`/`to`.
 */
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import type { GroupBy } from '../../components/servicemap/map-types.ts';

/** What the map shows. */
export interface MapParams {
  readonly groupBy: GroupBy;
  readonly showExternal: boolean;
  readonly search: string;
}

const GROUPINGS: readonly GroupBy[] = ['namespace', 'category', 'none'];

/** Reads the settings; unknown values fall back to the defaults (namespace, no externals). */
export function readMapParams(params: URLSearchParams): MapParams {
  const group = params.get('group') as GroupBy | null;
  return {
    groupBy: group !== null && GROUPINGS.includes(group) ? group : 'namespace',
    showExternal: params.get('external') === '1',
    search: params.get('q') ?? '',
  };
}

/** Writes a change into `params`, leaving defaults out of the URL. */
export function writeMapParams(params: URLSearchParams, change: Partial<MapParams>): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (k: string, v: string | undefined) => (v === undefined ? next.delete(k) : next.set(k, v));
  if (change.groupBy !== undefined) set('group', change.groupBy === 'namespace' ? undefined : change.groupBy);
  if (change.showExternal !== undefined) set('external', change.showExternal ? '1' : undefined);
  if (change.search !== undefined) set('q', change.search === '' ? undefined : change.search);
  return next;
}

/** The settings and a setter; a search keystroke replaces the history entry instead of adding one. */
export function useMapParams(): [MapParams, (change: Partial<MapParams>) => void] {
  const [params, setParams] = useSearchParams();
  const update = useCallback(
    (change: Partial<MapParams>) =>
      setParams((prev) => writeMapParams(prev, change), { replace: change.search !== undefined }),
    [setParams],
  );
  return [readMapParams(params), update];
}

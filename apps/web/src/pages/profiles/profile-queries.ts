/**
 * Data for the Profiles page through TanStack Query. Keys hold the time range as written in the
 * URL (`now-1h`), not resolved ms: resolving on every render would change the key each time and
 * refetch in a loop. The ms are resolved when the request is made.
 */
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import type {
  DiffFlameGraphResponse,
  FlameGraphResponse,
  ProfileTypesResponse,
  ServiceSeen,
} from '@vigil/spec';
import { apiGet } from '../../api/client.ts';
import { resolveTime } from '../../app/time-range.ts';
import { baseWindow, type ProfileSelection } from './profile-selection.ts';

/** The time range as written in the URL. */
export interface RangeText {
  from: string;
  to: string;
}

const HOUR_MS = 3_600_000;

function resolveRange(range: RangeText, nowMs: number): { fromMs: number; toMs: number } {
  return {
    fromMs: resolveTime(range.from, nowMs) ?? nowMs - HOUR_MS,
    toMs: resolveTime(range.to, nowMs) ?? nowMs,
  };
}

/**
 * Services that sent telemetry in the range. The server lists services seen in spans and logs;
 * the picker also accepts a typed name for services that only send profiles.
 */
export function useServices(range: RangeText): UseQueryResult<{ services: ServiceSeen[] }> {
  return useQuery({
    queryKey: ['services', range.from, range.to],
    queryFn: ({ signal }) => {
      const { fromMs, toMs } = resolveRange(range, Date.now());
      return apiGet<{ services: ServiceSeen[] }>('/api/v1/services', { from: fromMs, to: toMs }, signal);
    },
  });
}

/** Profile types the service has in the range. */
export function useProfileTypes(service: string, range: RangeText): UseQueryResult<ProfileTypesResponse> {
  return useQuery({
    queryKey: ['profiles', 'types', service, range.from, range.to],
    enabled: service !== '',
    queryFn: ({ signal }) => {
      const { fromMs, toMs } = resolveRange(range, Date.now());
      return apiGet<ProfileTypesResponse>(
        '/api/v1/profiles/types',
        { service, from: fromMs, to: toMs },
        signal,
      );
    },
  });
}

/** Whether a flame graph response is a diff (it then carries the base window). */
export function isDiffResponse(r: FlameGraphResponse | DiffFlameGraphResponse): r is DiffFlameGraphResponse {
  return 'baseFromMs' in r;
}

/** The flame graph of the range, or the diff against the selected base window. */
export function useFlameGraph(
  selection: ProfileSelection,
  type: string,
  range: RangeText,
): UseQueryResult<FlameGraphResponse | DiffFlameGraphResponse> {
  const { service, compare, baseFrom, baseTo } = selection;
  return useQuery({
    queryKey: ['profiles', 'flamegraph', service, type, range.from, range.to, compare, baseFrom, baseTo],
    enabled: service !== '' && type !== '',
    queryFn: ({ signal }) => {
      const nowMs = Date.now();
      const { fromMs, toMs } = resolveRange(range, nowMs);
      const base = baseWindow({ compare, baseFrom, baseTo }, fromMs, toMs, nowMs);
      return apiGet<FlameGraphResponse | DiffFlameGraphResponse>(
        '/api/v1/profiles/flamegraph',
        { service, type, from: fromMs, to: toMs, baseFrom: base?.fromMs, baseTo: base?.toMs },
        signal,
      );
    },
  });
}

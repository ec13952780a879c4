import { useMemo } from 'react';
import { Alert, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import type { ServiceSeen, TraceSummary } from '@vigil/spec';
import { apiGet } from '../../api/client.ts';
import { useTimeRange } from '../../app/time-range.ts';
import { bucketHeatmap, type HeatmapSelection } from '../../components/heatmap/heatmap-buckets.ts';
import { Heatmap } from '../../components/heatmap/Heatmap.tsx';
import { unixNanoToMs } from '../../components/waterfall/format.ts';
import { TraceDetail } from './TraceDetail.tsx';
import { TraceList } from './TraceList.tsx';
import { TracesEmptyState } from './TracesEmptyState.tsx';
import { TraceSearchForm } from './TraceSearchForm.tsx';
import { readFilters, traceSearchParams, writeFilters, type TraceFilters } from './trace-search-params.ts';

/** Traces fetched per search; the heatmap is drawn from these, so it says how many it shows. */
const TRACE_LIMIT = 500;
const HEATMAP_COLUMNS = 60;

/**
 * Traces: search form, latency heatmap and trace list; `?trace=<id>` shows that trace's
 * waterfall instead. Everything the user picks is in the URL.
 */
export function TracesPage() {
  const [params] = useSearchParams();
  const traceId = params.get('trace');
  if (traceId) {
    const back = new URLSearchParams(params);
    back.delete('trace');
    return <TraceDetail traceId={traceId} backHref={`/traces?${back.toString()}`} />;
  }
  return <TraceSearch />;
}

function TraceSearch() {
  const [params, setParams] = useSearchParams();
  const range = useTimeRange();
  const filters = useMemo(() => readFilters(params), [params]);
  const filtered =
    Object.values(filters).some((v) => v !== undefined && typeof v !== 'object') ||
    Object.keys(filters.attributes).length > 0;

  // Keyed by the range as written (`now-1h`), not resolved: resolved ms change on every render.
  const traces = useQuery({
    queryKey: ['traces', range.from, range.to, filters],
    queryFn: ({ signal }) =>
      apiGet<{ traces: TraceSummary[] }>(
        '/api/v1/traces',
        traceSearchParams(filters, range.fromMs, range.toMs, TRACE_LIMIT),
        signal,
      ),
  });
  const services = useQuery({
    queryKey: ['services'],
    queryFn: ({ signal }) => apiGet<{ services: ServiceSeen[] }>('/api/v1/services', {}, signal),
    staleTime: 60_000,
  });
  const serviceNames = (services.data?.services ?? [])
    .filter((s) => s.signals.includes('traces'))
    .map((s) => s.name);

  // The server has no heatmap endpoint yet, so the heatmap buckets the returned traces (their
  // root spans) client-side; with more matches than TRACE_LIMIT it shows a sample.
  const grid = useMemo(() => {
    const points = (traces.data?.traces ?? []).map((t) => ({
      timeMs: unixNanoToMs(t.startTimeUnixNano),
      durationNs: t.durationNs,
      isError: t.hasError,
    }));
    return bucketHeatmap(points, range.fromMs, range.toMs, HEATMAP_COLUMNS);
    // range.fromMs changes every render for relative ranges; rebucket only when the data changes.
  }, [traces.data, range.from, range.to]);

  const search = (next: TraceFilters): void => setParams(writeFilters(params, next));
  const selectRegion = (sel: HeatmapSelection): void => {
    const next = writeFilters(params, {
      ...filters,
      minDurationMs: sel.minDurationMs,
      maxDurationMs: sel.maxDurationMs,
    });
    next.set('from', String(sel.fromMs));
    next.set('to', String(sel.toMs));
    setParams(next);
  };
  const hrefFor = (id: string): string => {
    const next = new URLSearchParams(params);
    next.set('trace', id);
    return `/traces?${next.toString()}`;
  };

  const list = traces.data?.traces;
  return (
    <Stack gap="md">
      <Title order={1}>Traces</Title>
      <TraceSearchForm key={params.toString()} initial={filters} services={serviceNames} onSearch={search} />
      {services.isError && (
        <Text size="sm" c="dimmed">
          The service list could not be loaded ({services.error.message}); type filters by hand.
        </Text>
      )}
      {traces.isPending && <Loader aria-label="Loading traces" />}
      {traces.isError && (
        <Alert color="red" title="Could not search traces">
          {traces.error.message}
        </Alert>
      )}
      {list && list.length === 0 && <TracesEmptyState filtered={filtered} />}
      {list && list.length > 0 && (
        <>
          <Heatmap grid={grid} onSelect={selectRegion} />
          <Text size="sm" c="dimmed">
            {list.length === TRACE_LIMIT
              ? `Showing the first ${TRACE_LIMIT} traces`
              : `${list.length} traces`}
          </Text>
          <TraceList traces={list} hrefFor={hrefFor} />
        </>
      )}
    </Stack>
  );
}

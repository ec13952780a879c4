import { Anchor, Group, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { Core } from 'cytoscape';
import { useCallback, useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import { apiGet } from '../../api/client.ts';
import { ApiErrorAlert } from '../../app/ApiErrorAlert.tsx';
import { PageLoader } from '../../app/PageLoader.tsx';
import { rangeParams, useTimeRange } from '../../app/time-range.ts';
import { layeredLayout } from '../../components/servicemap/layered-layout.ts';
import { MapLegend } from '../../components/servicemap/MapLegend.tsx';
import type { GroupBy, MapResponse } from '../../components/servicemap/map-types.ts';
import { ServiceMap } from '../../components/servicemap/ServiceMap.tsx';
import { toGraph } from '../../components/servicemap/to-graph.ts';
import { MapEmptyState } from './MapEmptyState.tsx';
import { useMapParams } from './map-params.ts';

/** Props for tests: cytoscape without a canvas (jsdom). */
export interface MapPageProps {
  readonly headless?: boolean;
  readonly onMapReady?: (cy: Core) => void;
}

const GROUP_OPTIONS: Array<{ value: GroupBy; label: string }> = [
  { value: 'namespace', label: 'Namespace' },
  { value: 'category', label: 'Category' },
  { value: 'none', label: 'No grouping' },
];

/** Marks once per page load; the benchmark (bench/web-map.ts) reads them. */
function markOnce(name: string): void {
  if (performance.getEntriesByName(name, 'mark').length === 0) performance.mark(name);
}

/**
 * The service map of the URL's time range: applications coloured and shaped by health, grouped
 * by namespace or category, edges with their traffic; click an application to open it.
 */
export function MapPage({ headless = false, onMapReady }: MapPageProps) {
  const range = useTimeRange();
  const [params, setParams] = useMapParams();
  const navigate = useNavigate();
  const query = useQuery({
    queryKey: ['overview/map', range.from, range.to],
    queryFn: async ({ signal }) => {
      const map = await apiGet<MapResponse>('/api/v1/overview/map', rangeParams(range), signal);
      markOnce('vigil:map:data');
      return map;
    },
  });

  // The layout follows the grouping and the external toggle only: searching re-colours, never re-lays out.
  const shape = useMemo(
    () => query.data && toGraph(query.data, { groupBy: params.groupBy, showExternal: params.showExternal }),
    [query.data, params.groupBy, params.showExternal],
  );
  // Without a search the shown graph is the laid-out one: a second pass over 2,000 edges saved.
  const shown = useMemo(
    () =>
      query.data &&
      (params.search.trim() === ''
        ? shape
        : toGraph(query.data, {
            groupBy: params.groupBy,
            showExternal: params.showExternal,
            search: params.search,
          })),
    [query.data, shape, params.groupBy, params.showExternal, params.search],
  );

  const search = `from=${range.from}&to=${range.to}`;
  const openApp = useCallback(
    (appId: string) => navigate(`/apps/${encodeURIComponent(appId)}?${search}`),
    [navigate, search],
  );

  return (
    <Stack>
      <Title order={1} size="h3">
        Service map
      </Title>
      <Group align="end">
        <Select
          label="Group by"
          data={GROUP_OPTIONS}
          value={params.groupBy}
          onChange={(v) => v && setParams({ groupBy: v as GroupBy })}
          allowDeselect={false}
          w={180}
        />
        <TextInput
          label="Find application"
          placeholder="Name or id"
          value={params.search}
          onChange={(e) => setParams({ search: e.currentTarget.value })}
          w={260}
        />
        <Switch
          label="Show external addresses"
          checked={params.showExternal}
          onChange={(e) => setParams({ showExternal: e.currentTarget.checked })}
          mb={8}
        />
      </Group>
      {query.isPending && <PageLoader label="Loading the service map" />}
      {query.isError && <ApiErrorAlert title="Could not load the service map" error={query.error} />}
      {query.data && query.data.nodes.length === 0 && <MapEmptyState />}
      {query.data && shape && shown && query.data.nodes.length > 0 && (
        <MapView
          shape={shape}
          shown={shown}
          headless={headless}
          onOpenApp={openApp}
          onMapReady={onMapReady}
          appSearch={search}
        />
      )}
    </Stack>
  );
}

interface MapViewProps {
  readonly shape: ReturnType<typeof toGraph>;
  readonly shown: ReturnType<typeof toGraph>;
  readonly headless: boolean;
  readonly onOpenApp: (appId: string) => void;
  readonly onMapReady: ((cy: Core) => void) | undefined;
  readonly appSearch: string;
}

/** The map with its layout state, legend, and the search's matches as links (keyboard and screen readers). */
function MapView({ shape, shown, headless, onOpenApp, onMapReady, appSearch }: MapViewProps) {
  // On the main thread, synchronously: about 10 ms at 500 applications (a worker's start and the
  // copy of the graph there and back cost more), and the map is drawn once, at its final places.
  const layout = useMemo(() => {
    const startMs = performance.now();
    const laid = layeredLayout(shape);
    if (performance.getEntriesByName('vigil:map:layout', 'measure').length === 0)
      performance.measure('vigil:map:layout', { start: startMs });
    markOnce('vigil:map:laid-out');
    return laid;
  }, [shape]);
  const onDrawn = useCallback(() => markOnce('vigil:map:interactive'), []);
  const matches = shown.nodes.filter((n) => n.search === 'match');
  return (
    <>
      <MapLegend />
      {shown.nodes.length === 0 ? (
        <Text c="dimmed">
          Every application here is external. Turn on “Show external addresses” to see them.
        </Text>
      ) : (
        <ServiceMap
          graph={shown}
          layout={layout}
          onOpenApp={onOpenApp}
          headless={headless}
          onReady={onMapReady}
          onDrawn={onDrawn}
        />
      )}
      {matches.length > 0 && (
        <Group gap="xs" component="nav" aria-label="Search results">
          <Text size="sm">
            {matches.length} found{matches.length > 10 ? ', first 10' : ''}:
          </Text>
          {matches.slice(0, 10).map((n) => (
            <Anchor
              key={n.id}
              component={Link}
              size="sm"
              to={`/apps/${encodeURIComponent(n.id)}?${appSearch}`}
            >
              {n.label}
            </Anchor>
          ))}
        </Group>
      )}
    </>
  );
}

import { SegmentedControl, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { IncidentListResponse } from '@vigil/spec';
import { apiGet } from '../../api/client.ts';
import { ApiErrorAlert } from '../../app/ApiErrorAlert.tsx';
import { PageLoader } from '../../app/PageLoader.tsx';
import { rangeParams, useTimeRange } from '../../app/time-range.ts';
import { filterIncidents, type IncidentFilter } from './incident-format.ts';
import { IncidentsTable } from './IncidentsTable.tsx';
import { NoIncidents } from './NoIncidents.tsx';

const FILTERS: Array<{ value: IncidentFilter; label: string }> = [
  { value: 'all', label: 'All' },
  { value: 'open', label: 'Open' },
  { value: 'resolved', label: 'Resolved' },
];

/** SLO incidents overlapping the selected range, newest first, filterable by open/resolved. */
export function IncidentsPage() {
  const range = useTimeRange();
  const [filter, setFilter] = useState<IncidentFilter>('all');
  const query = useQuery({
    // Keyed by the range as written (`now-1h`), not resolved ms, which change on every render.
    queryKey: ['incidents', range.from, range.to],
    queryFn: ({ signal }) => apiGet<IncidentListResponse>('/api/v1/incidents', rangeParams(range), signal),
  });
  const all = query.data?.incidents ?? [];
  const shown = filterIncidents(all, filter);

  return (
    <Stack>
      <Title order={1} size="h3">
        Incidents
      </Title>
      {query.isPending && <PageLoader label="Loading incidents" />}
      {query.isError && <ApiErrorAlert title="Could not load the incidents" error={query.error} />}
      {query.data && all.length === 0 && <NoIncidents filtered={false} />}
      {all.length > 0 && (
        <>
          <SegmentedControl
            aria-label="Show incidents"
            data={FILTERS}
            value={filter}
            onChange={(v) => setFilter(v as IncidentFilter)}
            w="fit-content"
          />
          {shown.length === 0 ? (
            <NoIncidents filtered />
          ) : (
            <IncidentsTable
              incidents={shown}
              search={`from=${range.from}&to=${range.to}`}
              nowMs={range.toMs}
            />
          )}
        </>
      )}
    </Stack>
  );
}

import { Alert, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { apiGet } from '../../api/client.ts';
import type { ApplicationsOverview } from '../../api/types.ts';
import { ApiErrorAlert } from '../../app/ApiErrorAlert.tsx';
import { PageLoader } from '../../app/PageLoader.tsx';
import { rangeParams, useTimeRange } from '../../app/time-range.ts';
import { ApplicationsTable } from './ApplicationsTable.tsx';
import { NoApplications } from './NoApplications.tsx';
import { categories, filterRows, sortRows, type SortState } from './overview-rows.ts';

/** Applications overview: one row per application, one status column per report. */
export function OverviewPage() {
  const range = useTimeRange();
  const [category, setCategory] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [sort, setSort] = useState<SortState>({ column: 'status', descending: true });
  const query = useQuery({
    // Keyed by the range as written (`now-1h`), not resolved ms, which change on every render.
    queryKey: ['overview/applications', range.from, range.to],
    queryFn: () => apiGet<ApplicationsOverview>('/api/v1/overview/applications', rangeParams(range)),
  });
  const all = useMemo(() => query.data?.applications ?? [], [query.data]);
  const rows = useMemo(
    () => sortRows(filterRows(all, category ?? undefined, text), sort),
    [all, category, text, sort],
  );

  return (
    <Stack>
      <Title order={1} size="h3">
        Applications
      </Title>
      {query.isPending && <PageLoader label="Loading applications" />}
      {query.isError && <ApiErrorAlert title="Could not load the applications" error={query.error} />}
      {query.data && all.length === 0 && <NoApplications />}
      {query.data && all.length > 0 && (
        <>
          {query.data.incomplete.length > 0 && (
            <Alert color="yellow" title="Some data is still arriving">
              The metrics cache has not caught up for {query.data.incomplete.length} queries; statuses may
              change on reload.
            </Alert>
          )}
          <Group>
            <Select
              label="Category"
              placeholder="All categories"
              clearable
              data={categories(all)}
              value={category}
              onChange={setCategory}
              w={200}
            />
            <TextInput
              label="Name"
              placeholder="Filter by name"
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              w={240}
            />
          </Group>
          {rows.length === 0 ? (
            <Text c="dimmed">
              No application matches these filters. Clear the name or pick another category.
            </Text>
          ) : (
            <ApplicationsTable
              rows={rows}
              sort={sort}
              onSort={setSort}
              search={`from=${range.from}&to=${range.to}`}
            />
          )}
        </>
      )}
    </Stack>
  );
}

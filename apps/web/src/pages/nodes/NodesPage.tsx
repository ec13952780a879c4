import { Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { apiGet } from '../../api/client.ts';
import { ApiErrorAlert } from '../../app/ApiErrorAlert.tsx';
import { PageLoader } from '../../app/PageLoader.tsx';
import { rangeParams, useTimeRange } from '../../app/time-range.ts';
import { NoNodes } from './NoNodes.tsx';
import { sortNodes, type NodeSort } from './node-rows.ts';
import type { NodesOverview } from './node-types.ts';
import { NodesTable } from './NodesTable.tsx';

/** Nodes: one row per machine the node agent reports from, busiest CPU first. */
export function NodesPage() {
  const range = useTimeRange();
  const [sort, setSort] = useState<NodeSort>({ column: 'cpu', descending: true });
  const query = useQuery({
    // Keyed by the range as written (`now-1h`), not resolved ms, which change on every render.
    queryKey: ['overview/nodes', range.from, range.to],
    queryFn: ({ signal }) => apiGet<NodesOverview>('/api/v1/overview/nodes', rangeParams(range), signal),
  });
  const rows = useMemo(() => sortNodes(query.data?.nodes ?? [], sort), [query.data, sort]);

  return (
    <Stack>
      <Title order={1} size="h3">
        Nodes
      </Title>
      {query.isPending && <PageLoader label="Loading nodes" />}
      {query.isError && <ApiErrorAlert title="Could not load the nodes" error={query.error} />}
      {query.data && rows.length === 0 && <NoNodes />}
      {rows.length > 0 && (
        <NodesTable rows={rows} sort={sort} onSort={setSort} search={`from=${range.from}&to=${range.to}`} />
      )}
    </Stack>
  );
}

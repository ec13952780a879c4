import { Anchor, Badge, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { apiGet } from '../../api/client.ts';
import { ApiErrorAlert } from '../../app/ApiErrorAlert.tsx';
import { PageLoader } from '../../app/PageLoader.tsx';
import { rangeParams, useTimeRange } from '../../app/time-range.ts';
import { TimeSeriesChart } from '../../components/charts/TimeSeriesChart.tsx';
import { formatValue } from '../../components/charts/format-unit.ts';
import { NodeContainers } from './NodeContainers.tsx';
import { nodeCharts } from './node-charts.ts';
import type { NodeView } from './node-types.ts';

/** One node (route `/nodes/:name`): its CPU, memory, disk and network charts and the containers on it. */
export function NodePage() {
  const name = useParams().name ?? '';
  const range = useTimeRange();
  const search = `from=${range.from}&to=${range.to}`;
  const query = useQuery({
    queryKey: ['nodes', name, range.from, range.to],
    queryFn: ({ signal }) =>
      apiGet<NodeView>(`/api/v1/nodes/${encodeURIComponent(name)}`, rangeParams(range), signal),
  });
  const node = query.data;
  const charts = useMemo(() => (node ? nodeCharts(node) : []), [node]);

  return (
    <Stack>
      <Anchor component={Link} to={`/nodes?${search}`} size="sm">
        ← All nodes
      </Anchor>
      <Title order={1} size="h3">
        {node ? node.hostname || node.name : name}
      </Title>
      {query.isPending && <PageLoader label="Loading the node" />}
      {query.isError && <ApiErrorAlert title={`Could not load node "${name}"`} error={query.error} />}
      {node && (
        <>
          <Group gap="md">
            <Badge color={node.up ? 'green' : 'red'} variant="light">
              {node.up ? 'up' : 'down'}
            </Badge>
            <Text size="sm">{formatValue(node.cpuCores, 'cores')}</Text>
            <Text size="sm">{formatValue(node.memoryTotalBytes, 'bytes')} memory</Text>
            {node.ips.length > 0 && <Text size="sm">{node.ips.join(', ')}</Text>}
            <Text size="sm" c="dimmed">
              machine id {node.name}
            </Text>
          </Group>
          <Title order={2} size="h4">
            Resources
          </Title>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {charts.map((c) => (
              <TimeSeriesChart key={c.title} chart={c} />
            ))}
          </SimpleGrid>
          <Title order={2} size="h4">
            Containers ({node.containers.length})
          </Title>
          <NodeContainers containers={node.containers} search={search} />
        </>
      )}
    </Stack>
  );
}

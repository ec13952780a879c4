import { Badge, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ApiErrorAlert } from '../../app/ApiErrorAlert.tsx';
import { formatTime } from './format-time.ts';
import { keys, settingsApi } from './settings-api.ts';
import type { BackendStatus, CacheStatus, TabProps } from './settings-types.ts';

const KIND_LABEL: Readonly<Record<string, string>> = {
  sqlite: 'SQLite',
  postgres: 'Postgres',
  chdb: 'embedded ClickHouse (chDB)',
  clickhouse: 'ClickHouse',
  embedded: 'embedded metric store',
  prometheus: 'Prometheus-compatible backend',
};

/** A lag for people: seconds under two minutes, minutes after. */
export function formatLag(ms: number): string {
  return ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}

function BackendRow({ name, status }: { name: string; status: BackendStatus }) {
  return (
    <Table.Tr>
      <Table.Td>{name}</Table.Td>
      <Table.Td>
        {KIND_LABEL[status.kind] ?? status.kind}
        {status.target ? ` (${status.target})` : ''}
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color={status.ok ? 'green' : 'red'}>
          {status.ok ? 'connected' : 'down'}
        </Badge>
      </Table.Td>
      <Table.Td>{status.ok ? `${status.latencyMs} ms` : status.error}</Table.Td>
    </Table.Tr>
  );
}

function CacheSummary({ cache }: { cache: CacheStatus }) {
  if (!cache.enabled) return <Text>The metrics cache is off (VIGIL_CACHE_ENABLED).</Text>;
  if ('error' in cache) return <Text c="red">Metrics cache: {cache.error}</Text>;
  return (
    <Stack gap={4}>
      <Text>
        Lag: {cache.maxLagMs === null ? 'not refreshed yet' : formatLag(cache.maxLagMs)} (refresh every{' '}
        {formatLag(cache.refreshMs)}, {cache.queries} queries
        {cache.backfillPending > 0 ? `, back-filling ${cache.backfillPending}` : ''})
      </Text>
      {cache.lastRefresh && (
        <Text size="sm">
          Last refresh {formatTime(cache.lastRefresh.startedAtMs)}: {cache.lastRefresh.durationMs} ms,{' '}
          {cache.lastRefresh.points} points from {cache.lastRefresh.queries} range queries
        </Text>
      )}
      {cache.failingQueries.map((q) => (
        <Text key={q.id} size="sm" c="red">
          {q.id}: {q.error}
        </Text>
      ))}
    </Stack>
  );
}

/** Whether the backends answer, and how far behind the metrics cache is; refreshed every 15 s. */
export function StatusTab({ project }: TabProps) {
  const status = useQuery({
    queryKey: keys.status(project),
    queryFn: () => settingsApi.status(project),
    refetchInterval: 15_000,
  });
  return (
    <Stack>
      <Title order={2} size="h4">
        Status
      </Title>
      {status.error && <ApiErrorAlert title="Could not load the status" error={status.error} />}
      {status.data && (
        <>
          <Table aria-label="Connections">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Service</Table.Th>
                <Table.Th>Backend</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Latency or error</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              <BackendRow name="Config DB" status={status.data.configDb} />
              <BackendRow name="Telemetry storage" status={status.data.telemetry} />
              <BackendRow name="Metrics" status={status.data.metrics} />
            </Table.Tbody>
          </Table>
          <Title order={3} size="h5">
            Metrics cache
          </Title>
          <CacheSummary cache={status.data.cache} />
        </>
      )}
    </Stack>
  );
}

import { Alert, Anchor, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { apiGet } from '../../api/client.ts';
import type { ApplicationView, ReportView } from '../../api/types.ts';
import { ApiErrorAlert } from '../../app/ApiErrorAlert.tsx';
import { PageLoader } from '../../app/PageLoader.tsx';
import { StatusBadge } from '../../app/StatusBadge.tsx';
import { rangeParams, useTimeRange } from '../../app/time-range.ts';

const reportAnchor = (name: string) => `report-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

function ReportCard({ report, selected }: { report: ReportView; selected: boolean }) {
  return (
    <Card
      withBorder
      id={reportAnchor(report.name)}
      aria-current={selected ? 'true' : undefined}
      style={selected ? { outline: '2px solid var(--mantine-primary-color-filled)' } : undefined}
    >
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5">
          {report.name}
        </Title>
        <StatusBadge status={report.status} />
      </Group>
      {report.noData && <Text size="sm">{report.noData}</Text>}
      {report.checks.length > 0 && (
        <Table aria-label={`${report.name} checks`}>
          <Table.Tbody>
            {report.checks.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td w={110}>
                  <StatusBadge status={c.status} message={c.message} />
                </Table.Td>
                <Table.Td w={220}>{c.title}</Table.Td>
                <Table.Td>{c.message}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

/**
 * An application's reports as lists of checks (charts come later). `?report=<name>` highlights
 * that report and scrolls to it: the overview's status badges link here.
 */
export function AppPage() {
  const appId = useParams().appId ?? '';
  const [params] = useSearchParams();
  const selected = params.get('report');
  const range = useTimeRange();
  const query = useQuery({
    queryKey: ['apps', appId, range.from, range.to],
    queryFn: () => apiGet<ApplicationView>(`/api/v1/apps/${encodeURIComponent(appId)}`, rangeParams(range)),
  });
  useEffect(() => {
    if (query.data && selected) document.getElementById(reportAnchor(selected))?.scrollIntoView();
  }, [query.data, selected]);

  return (
    <Stack>
      <Anchor component={Link} to={`/?from=${range.from}&to=${range.to}`} size="sm">
        ← All applications
      </Anchor>
      <Title order={1} size="h3">
        {query.data?.name ?? appId}
      </Title>
      {query.isPending && <PageLoader label="Loading the application" />}
      {query.isError && <ApiErrorAlert title={`Could not load ${appId}`} error={query.error} />}
      {query.data && (
        <>
          <Text c="dimmed" size="sm">
            {query.data.id} · {query.data.category} · {query.data.instances.length} instance
            {query.data.instances.length === 1 ? '' : 's'}
            {query.data.types.length > 0 ? ` · ${query.data.types.join(', ')}` : ''}
          </Text>
          {selected && !query.data.reportDetails.some((r) => r.name === selected) && (
            <Alert color="yellow">This application has no {selected} report in this range.</Alert>
          )}
          {query.data.reportDetails.map((r) => (
            <ReportCard key={r.name} report={r} selected={r.name === selected} />
          ))}
        </>
      )}
    </Stack>
  );
}

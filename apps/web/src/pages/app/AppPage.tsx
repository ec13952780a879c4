import { Alert, Anchor, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ServiceSeen } from '@vigil/spec';
import { useMemo, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { apiGet } from '../../api/client.ts';
import type { ApplicationsOverview, ApplicationView } from '../../api/types.ts';
import { ApiErrorAlert } from '../../app/ApiErrorAlert.tsx';
import { PageLoader } from '../../app/PageLoader.tsx';
import { StatusBadge } from '../../app/StatusBadge.tsx';
import { rangeParams, useTimeRange } from '../../app/time-range.ts';
import { peersOf } from './app-peers.ts';
import { DeploymentsTimeline } from './DeploymentsTimeline.tsx';
import { InstancesTable } from './InstancesTable.tsx';
import { Neighbourhood } from './Neighbourhood.tsx';
import { ReportTabs } from './ReportTabs.tsx';
import { telemetryLinks, telemetryService } from './telemetry-links.ts';
import { TelemetryLinks } from './TelemetryLinks.tsx';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap="xs" component="section" aria-label={title}>
      <Title order={2} size="h4">
        {title}
      </Title>
      {children}
    </Stack>
  );
}

/**
 * An application (route `/apps/:appId`): links to its logs, traces and profiles, its
 * neighbourhood, one tab per report with its checks and charts (`?report=<name>` opens one: the
 * overview's status badges link here), its instances and its deployments.
 */
export function AppPage() {
  const appId = useParams().appId ?? '';
  const [params] = useSearchParams();
  const requested = params.get('report');
  const range = useTimeRange();
  const search = `from=${range.from}&to=${range.to}`;
  // Keyed by the range as written (`now-1h`), not resolved ms, which change on every render.
  const query = useQuery({
    queryKey: ['apps', appId, range.from, range.to],
    queryFn: ({ signal }) =>
      apiGet<ApplicationView>(`/api/v1/apps/${encodeURIComponent(appId)}`, rangeParams(range), signal),
  });
  // The neighbours' names and health; the overview's own query, so coming from it costs nothing.
  const overview = useQuery({
    queryKey: ['overview/applications', range.from, range.to],
    queryFn: () => apiGet<ApplicationsOverview>('/api/v1/overview/applications', rangeParams(range)),
  });
  // Which service name this app's telemetry goes by (the profiles page's query of the same range).
  const services = useQuery({
    queryKey: ['services', range.from, range.to],
    queryFn: ({ signal }) =>
      apiGet<{ services: ServiceSeen[] }>('/api/v1/services', rangeParams(range), signal),
  });

  const app = query.data;
  const rows = overview.data?.applications;
  const clients = useMemo(() => (app ? peersOf(app.id, app.downstreams, rows) : []), [app, rows]);
  const dependencies = useMemo(() => (app ? peersOf(app.id, app.upstreams, rows) : []), [app, rows]);
  const seen = services.data
    ? telemetryService({ id: appId, name: app?.name ?? appId }, services.data.services)
    : undefined;
  const links = telemetryLinks(seen?.service ?? appId, range);

  return (
    <Stack>
      <Anchor component={Link} to={`/?${search}`} size="sm">
        ← All applications
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={1} size="h3">
              {app?.name ?? appId}
            </Title>
            {app && <StatusBadge status={app.status} />}
          </Group>
          {app && (
            <Text c="dimmed" size="sm">
              {app.id} · {app.category} · {app.instances.length} instance
              {app.instances.length === 1 ? '' : 's'}
              {app.types.length > 0 ? ` · ${app.types.join(', ')}` : ''}
            </Text>
          )}
        </Stack>
        <TelemetryLinks links={links} seen={seen} />
      </Group>
      {query.isPending && <PageLoader label="Loading the application" />}
      {query.isError && <ApiErrorAlert title={`Could not load ${appId}`} error={query.error} />}
      {app && (
        <>
          {app.incomplete.length > 0 && (
            <Alert color="yellow" title="Some data is still arriving">
              The metrics cache has not caught up for {app.incomplete.length} queries; checks may change on
              reload.
            </Alert>
          )}
          <Section title="Neighbourhood">
            <Neighbourhood
              appName={app.name}
              status={app.status}
              clients={clients}
              dependencies={dependencies}
              search={search}
            />
          </Section>
          <Section title="Reports">
            {requested && !app.reportDetails.some((r) => r.name === requested) && (
              <Alert color="yellow">This application has no {requested} report in this range.</Alert>
            )}
            {app.reportDetails.length > 0 ? (
              <ReportTabs reports={app.reportDetails} />
            ) : (
              <Text c="dimmed">No reports for this application.</Text>
            )}
          </Section>
          <Section title={`Instances (${app.instances.length})`}>
            <InstancesTable instances={app.instances} search={search} />
          </Section>
          <Section title="Deployments">
            <DeploymentsTimeline deployments={app.deployments} grid={app.grid} />
          </Section>
        </>
      )}
    </Stack>
  );
}

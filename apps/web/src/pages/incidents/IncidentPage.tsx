import { Anchor, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { IncidentDetail, SloSettingsResponse } from '@vigil/spec';
import { apiGet } from '../../api/client.ts';
import { ApiErrorAlert } from '../../app/ApiErrorAlert.tsx';
import { PageLoader } from '../../app/PageLoader.tsx';
import { useTimeRange } from '../../app/time-range.ts';
import { IncidentHeader } from './IncidentHeader.tsx';
import { IncidentTimeline } from './IncidentTimeline.tsx';
import { RcaRanking } from './RcaRanking.tsx';

/** One incident (route `/incidents/:id`): its facts, timeline and root-cause ranking. */
export function IncidentPage() {
  const id = useParams().id ?? '';
  const range = useTimeRange();
  const search = `from=${range.from}&to=${range.to}`;
  const query = useQuery({
    // An incident does not depend on the range: its window is its own.
    queryKey: ['incidents', id],
    queryFn: ({ signal }) =>
      apiGet<IncidentDetail>(`/api/v1/incidents/${encodeURIComponent(id)}`, {}, signal),
  });
  const appId = query.data?.appId;
  // The objectives are context, not the page: if they cannot be read the page still shows.
  const slo = useQuery({
    queryKey: ['apps', appId, 'slo'],
    queryFn: ({ signal }) =>
      apiGet<SloSettingsResponse>(`/api/v1/apps/${encodeURIComponent(appId ?? '')}/slo`, {}, signal),
    enabled: appId !== undefined,
  });

  return (
    <Stack>
      <Anchor component={Link} to={`/incidents?${search}`} size="sm">
        ← All incidents
      </Anchor>
      {query.isPending && <PageLoader label="Loading the incident" />}
      {query.isError && <ApiErrorAlert title={`Could not load incident "${id}"`} error={query.error} />}
      {query.data && (
        <>
          <IncidentHeader incident={query.data} slo={slo.data} search={search} nowMs={Date.now()} />
          <Title order={2} size="h4">
            Timeline
          </Title>
          <IncidentTimeline events={query.data.timeline} />
          <Title order={2} size="h4">
            Root cause ranking
          </Title>
          <RcaRanking incident={query.data} />
        </>
      )}
    </Stack>
  );
}

import { Anchor, Group, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { IncidentDetail, SloSettingsResponse } from '@vigil/spec';
import { formatDuration, formatTime, incidentDurationMs, reasonText } from './incident-format.ts';
import { appLink } from './IncidentsTable.tsx';
import { SeverityBadge } from './SeverityBadge.tsx';

function objectivesText(slo: SloSettingsResponse): string {
  const { availability, latency } = slo.config;
  const parts = [
    availability ? `${availability.objectivePercent}% of requests succeed` : null,
    latency
      ? `${latency.objectivePercent}% of requests${latency.thresholdMs !== undefined ? ` faster than ${latency.thresholdMs} ms` : ' within the latency objective'}`
      : null,
  ].filter((p): p is string => p !== null);
  return parts.length === 0 ? 'no objectives (both turned off)' : parts.join('; ');
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </div>
  );
}

interface Props {
  readonly incident: IncidentDetail;
  /** The application's objectives now; undefined while loading or when they could not be read. */
  readonly slo: SloSettingsResponse | undefined;
  readonly search: string;
  readonly nowMs: number;
}

/** The incident's facts: application, severity, when, how long, and the burn rates that opened it. */
export function IncidentHeader({ incident: i, slo, search, nowMs }: Props) {
  const opened = i.timeline.find((e) => e.type === 'opened') ?? i.timeline[0];
  return (
    <Stack gap="sm">
      <Group gap="sm">
        <Title order={1} size="h3">
          SLO incident of{' '}
          <Anchor component={Link} to={appLink(i.appId, search)} inherit>
            {i.appId}
          </Anchor>
        </Title>
        <SeverityBadge severity={i.severity} open={i.resolvedAtMs === null} />
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Fact label="Opened">{formatTime(i.openedAtMs)}</Fact>
        <Fact label="Resolved">{i.resolvedAtMs === null ? 'still open' : formatTime(i.resolvedAtMs)}</Fact>
        <Fact label="Duration">{formatDuration(incidentDurationMs(i, nowMs))}</Fact>
        <Fact label="Worst severity">{i.worstSeverity}</Fact>
      </SimpleGrid>
      {opened && opened.reasons.length > 0 && (
        <div>
          <Text size="sm" fw={600}>
            Error budget burn when it opened
          </Text>
          <List size="sm" aria-label="Burn rates when it opened">
            {opened.reasons.map((r) => (
              <List.Item key={`${r.slo}:${r.longWindowMs}`}>{reasonText(r)}</List.Item>
            ))}
          </List>
        </div>
      )}
      {slo && (
        <Text size="sm" c="dimmed">
          Objectives now{slo.default ? ' (the defaults)' : ''}: {objectivesText(slo)}. They may have changed
          since the incident; change them with <code>PUT /api/v1/apps/&lt;appId&gt;/slo</code>.
        </Text>
      )}
    </Stack>
  );
}

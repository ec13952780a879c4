import { Anchor, Table } from '@mantine/core';
import { Link } from 'react-router';
import { formatDuration, formatTime, incidentDurationMs, incidentSummaryText } from './incident-format.ts';
import type { IncidentSummary } from '@vigil/spec';
import { SeverityBadge } from './SeverityBadge.tsx';

/** The application page of `appId`, with the same range. */
export const appLink = (appId: string, search: string): string =>
  `/apps/${encodeURIComponent(appId)}?${search}`;

/** The incident page, with the same range. */
export const incidentLink = (id: string, search: string): string =>
  `/incidents/${encodeURIComponent(id)}?${search}`;

interface Props {
  readonly incidents: readonly IncidentSummary[];
  /** `from=…&to=…`, carried into the links. */
  readonly search: string;
  readonly nowMs: number;
}

/** Incidents, newest first; the summary links to the incident, the application to its page. */
export function IncidentsTable({ incidents, search, nowMs }: Props) {
  return (
    <Table.ScrollContainer minWidth={700}>
      <Table striped highlightOnHover aria-label="Incidents">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Incident</Table.Th>
            <Table.Th>Application</Table.Th>
            <Table.Th>Severity</Table.Th>
            <Table.Th>Opened</Table.Th>
            <Table.Th>Resolved</Table.Th>
            <Table.Th>Duration</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {incidents.map((i) => (
            <Table.Tr key={i.id}>
              <Table.Td>
                <Anchor component={Link} to={incidentLink(i.id, search)} fw={500}>
                  {incidentSummaryText(i)}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Anchor component={Link} to={appLink(i.appId, search)}>
                  {i.appId}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <SeverityBadge severity={i.worstSeverity} open={i.resolvedAtMs === null} />
              </Table.Td>
              <Table.Td>{formatTime(i.openedAtMs)}</Table.Td>
              <Table.Td>{i.resolvedAtMs === null ? '—' : formatTime(i.resolvedAtMs)}</Table.Td>
              <Table.Td>
                {formatDuration(incidentDurationMs(i, nowMs))}
                {i.resolvedAtMs === null ? ' so far' : ''}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

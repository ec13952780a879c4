import { Badge, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { TraceSummary } from '@vigil/spec';
import { formatDurationNs, unixNanoToMs } from '../../components/waterfall/format.ts';

/** Props of the trace list. */
export interface TraceListProps {
  readonly traces: readonly TraceSummary[];
  /** The link to a trace (keeps the search in the URL so "back" returns to it). */
  readonly hrefFor: (traceId: string) => string;
}

/** Matching traces, newest first as the server returns them. */
export function TraceList({ traces, hrefFor }: TraceListProps) {
  return (
    <Table striped highlightOnHover aria-label="Traces">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Start</Table.Th>
          <Table.Th>Root service</Table.Th>
          <Table.Th>Root span</Table.Th>
          <Table.Th>Duration</Table.Th>
          <Table.Th>Spans</Table.Th>
          <Table.Th>Errors</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {traces.map((t) => (
          <Table.Tr key={t.traceId}>
            <Table.Td>{new Date(unixNanoToMs(t.startTimeUnixNano)).toLocaleString()}</Table.Td>
            <Table.Td>{t.rootServiceName || <Text c="dimmed">(missing root)</Text>}</Table.Td>
            <Table.Td>
              <Link to={hrefFor(t.traceId)}>{t.rootSpanName || t.traceId}</Link>
            </Table.Td>
            <Table.Td>{formatDurationNs(t.durationNs)}</Table.Td>
            <Table.Td>{t.spanCount}</Table.Td>
            <Table.Td>
              {t.hasError ? (
                <Badge color="red" variant="light">
                  ⚠ error
                </Badge>
              ) : (
                <Text size="sm" c="dimmed">
                  none
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

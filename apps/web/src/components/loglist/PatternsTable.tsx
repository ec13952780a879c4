import { Alert, Table, Text, UnstyledButton } from '@mantine/core';
import type { LogPattern, LogPatternsResponse } from '@vigil/spec';
import { severityColour } from './log-record.ts';
import { SeverityBadge } from './SeverityBadge.tsx';
import { Sparkline } from './Sparkline.tsx';

export interface PatternsTableProps {
  readonly data: LogPatternsResponse;
  /** Called with the clicked pattern (the page filters the messages by it). */
  readonly onSelect: (pattern: LogPattern) => void;
}

/** Log patterns, most frequent first: count, severity, trend over the range and a sample. */
export function PatternsTable({ data, onSelect }: PatternsTableProps) {
  if (data.patterns.length === 0) return <Text c="dimmed">No messages match these filters.</Text>;
  return (
    <>
      {data.sampled && (
        <Alert color="yellow" mb="sm" title="Partial">
          Patterns are from the newest {data.scanned.toLocaleString()} matching records; narrow the time range
          or filters to cover all of them.
        </Alert>
      )}
      <Table aria-label="Log patterns" highlightOnHover striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th ta="right">Count</Table.Th>
            <Table.Th>Severity</Table.Th>
            <Table.Th>Trend</Table.Th>
            <Table.Th>Sample</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.patterns.map((p) => (
            <Table.Tr key={p.hash}>
              <Table.Td ta="right" ff="monospace">
                {p.count.toLocaleString()}
              </Table.Td>
              <Table.Td>
                <SeverityBadge name={p.severity} />
              </Table.Td>
              <Table.Td>
                <Sparkline
                  values={p.trend}
                  colour={severityColour(p.severity)}
                  label={`Trend of ${p.pattern}`}
                />
              </Table.Td>
              <Table.Td>
                <UnstyledButton
                  onClick={() => onSelect(p)}
                  title={p.pattern}
                  aria-label={`Show messages like: ${p.sample}`}
                >
                  <Text size="xs" ff="monospace" lineClamp={2}>
                    {p.sample}
                  </Text>
                </UnstyledButton>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}

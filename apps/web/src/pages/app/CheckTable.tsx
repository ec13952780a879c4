import { Table, Text } from '@mantine/core';
import type { CheckView } from '../../api/types.ts';
import { StatusBadge } from '../../app/StatusBadge.tsx';
import { formatValue } from '../../components/charts/format-unit.ts';

/** `6 (threshold 0)`, `95.2% (threshold 99%)`; empty when the check compared nothing. */
export function valueText(c: Pick<CheckView, 'value' | 'threshold' | 'unit'>): string {
  const unit = c.unit ?? '';
  const value = c.value !== undefined ? formatValue(c.value, unit) : undefined;
  const threshold = c.threshold !== undefined ? `threshold ${formatValue(c.threshold, unit)}` : undefined;
  if (value && threshold) return `${value} (${threshold})`;
  return value ?? threshold ?? '';
}

/** A report's checks: status, what was checked, the explanation and the figure against its threshold. */
export function CheckTable({ reportName, checks }: { reportName: string; checks: readonly CheckView[] }) {
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table aria-label={`${reportName} checks`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={130}>Status</Table.Th>
            <Table.Th w={240}>Check</Table.Th>
            <Table.Th>Explanation</Table.Th>
            <Table.Th w={200}>Value</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {checks.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                <StatusBadge status={c.status} message={c.message} />
              </Table.Td>
              <Table.Td>{c.title}</Table.Td>
              <Table.Td>{c.message}</Table.Td>
              <Table.Td>
                <Text size="sm" c={c.value === undefined ? 'dimmed' : undefined}>
                  {valueText(c)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/**
 * The top table: self and total per function, sortable by any column. It is also the accessible
 * rendering of the flame graph's data, which the canvas cannot expose to assistive technology.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { Table, Text, UnstyledButton } from '@mantine/core';
import type { FunctionStat } from './flame-stats.ts';
import { formatShare, formatValue } from './format-value.ts';

/** A column the table sorts by. */
export type SortKey = 'name' | 'self' | 'total';

export interface TopTableProps {
  stats: readonly FunctionStat[];
  /** The graph's total, the denominator of the percentages. */
  grandTotal: number;
  unit: string;
  caption: string;
  /** Rows shown; the rest are summarised in a footer line. */
  limit?: number;
}

const COLUMNS: Array<{ key: SortKey; label: string; numeric: boolean }> = [
  { key: 'name', label: 'Function', numeric: false },
  { key: 'self', label: 'Self', numeric: true },
  { key: 'total', label: 'Total', numeric: true },
];

/** Sorts stats by `key`; ties fall back to the name so the order is stable between renders. */
export function sortStats(stats: readonly FunctionStat[], key: SortKey, descending: boolean): FunctionStat[] {
  const sign = descending ? -1 : 1;
  return [...stats].sort((a, b) => {
    const byKey = key === 'name' ? a.name.localeCompare(b.name) : a[key] - b[key];
    return byKey !== 0 ? sign * byKey : a.name.localeCompare(b.name);
  });
}

/** Self and total per function; click a column header to sort by it, again to reverse. */
export function TopTable(props: TopTableProps): ReactNode {
  const { stats, grandTotal, unit, limit = 100 } = props;
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({
    key: 'self',
    descending: true,
  });
  const rows = useMemo(() => sortStats(stats, sort.key, sort.descending), [stats, sort]);
  const share = (v: number): string => (grandTotal > 0 ? formatShare(v / grandTotal) : '—');
  const onSort = (key: SortKey): void =>
    setSort((s) => ({ key, descending: s.key === key ? !s.descending : key !== 'name' }));

  return (
    <Table striped highlightOnHover stickyHeader>
      <Table.Caption>{props.caption}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          {COLUMNS.map((c) => (
            <Table.Th
              key={c.key}
              aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
              style={{ textAlign: c.numeric ? 'right' : 'left' }}
            >
              <UnstyledButton onClick={() => onSort(c.key)} fw={600} fz="sm">
                {c.label}
                {sort.key === c.key ? (sort.descending ? ' ↓' : ' ↑') : ''}
              </UnstyledButton>
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.slice(0, limit).map((s) => (
          <Table.Tr key={s.name}>
            <Table.Td style={{ wordBreak: 'break-all' }}>{s.name}</Table.Td>
            <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
              {formatValue(s.self, unit)}{' '}
              <Text span c="dimmed" fz="xs">
                {share(s.self)}
              </Text>
            </Table.Td>
            <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
              {formatValue(s.total, unit)}{' '}
              <Text span c="dimmed" fz="xs">
                {share(s.total)}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
      {rows.length > limit && (
        <Table.Tfoot>
          <Table.Tr>
            <Table.Td colSpan={3}>
              <Text c="dimmed" fz="sm">
                {rows.length - limit} more functions not shown
              </Text>
            </Table.Td>
          </Table.Tr>
        </Table.Tfoot>
      )}
    </Table>
  );
}

import { Anchor, Table, Text, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router';
import type { ApplicationRow } from '../../api/types.ts';
import { StatusBadge } from '../../app/StatusBadge.tsx';
import { nextSort, reportColumns, type SortState } from './overview-rows.ts';

interface Props {
  readonly rows: readonly ApplicationRow[];
  readonly sort: SortState;
  readonly onSort: (next: SortState) => void;
  /** `from=…&to=…`, carried into the links so the application page shows the same range. */
  readonly search: string;
}

function SortHeader({
  label,
  column,
  sort,
  onSort,
}: { label: string; column: string } & Omit<Props, 'rows' | 'search'>) {
  const active = sort.column === column;
  const direction = active ? (sort.descending ? 'descending' : 'ascending') : 'none';
  return (
    <Table.Th aria-sort={direction}>
      <UnstyledButton onClick={() => onSort(nextSort(sort, column))} fw={600} fz="sm">
        {label}
        <span aria-hidden="true">{active ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
      </UnstyledButton>
    </Table.Th>
  );
}

const appLink = (id: string, search: string, report?: string) =>
  `/apps/${encodeURIComponent(id)}?${search}${report ? `&report=${encodeURIComponent(report)}` : ''}`;

/** The overview's table: sortable headers, one status badge per report linking to that report. */
export function ApplicationsTable({ rows, sort, onSort, search }: Props) {
  const columns = reportColumns(rows);
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table highlightOnHover aria-label="Applications">
        <Table.Thead>
          <Table.Tr>
            <SortHeader label="Application" column="name" sort={sort} onSort={onSort} />
            <SortHeader label="Category" column="category" sort={sort} onSort={onSort} />
            <SortHeader label="Status" column="status" sort={sort} onSort={onSort} />
            {columns.map((c) => (
              <SortHeader key={c} label={c} column={c} sort={sort} onSort={onSort} />
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>
                <Anchor component={Link} to={appLink(r.id, search)} fw={500}>
                  {r.name}
                </Anchor>
                {r.namespace && (
                  <Text span c="dimmed" size="xs">
                    {' '}
                    {r.namespace}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{r.category}</Table.Td>
              <Table.Td>
                <StatusBadge status={r.status} />
              </Table.Td>
              {columns.map((c) => {
                const cell = r.reports[c];
                return (
                  <Table.Td key={c}>
                    {cell ? (
                      <Link
                        to={appLink(r.id, search, c)}
                        aria-label={`${r.name} ${c}: ${cell.status}${cell.message ? `, ${cell.message}` : ''}`}
                        title={cell.message || cell.status}
                        style={{ textDecoration: 'none' }}
                      >
                        <StatusBadge status={cell.status} message={cell.message} />
                      </Link>
                    ) : (
                      <Text span c="dimmed" title="This report does not apply">
                        –
                      </Text>
                    )}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

import { Anchor, Badge, Table, Text, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router';
import { formatValue } from '../../components/charts/format-unit.ts';
import { displayName, networkTotal, nextNodeSort, type NodeColumn, type NodeSort } from './node-rows.ts';
import type { NodeRow } from './node-types.ts';

interface Props {
  readonly rows: readonly NodeRow[];
  readonly sort: NodeSort;
  readonly onSort: (next: NodeSort) => void;
  /** `from=…&to=…`, carried into the links so the node page shows the same range. */
  readonly search: string;
}

function SortHeader({
  label,
  column,
  sort,
  onSort,
}: { label: string; column: NodeColumn } & Omit<Props, 'rows' | 'search'>) {
  const active = sort.column === column;
  return (
    <Table.Th aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
      <UnstyledButton onClick={() => onSort(nextNodeSort(sort, column))} fw={600} fz="sm">
        {label}
        <span aria-hidden="true">{active ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
      </UnstyledButton>
    </Table.Th>
  );
}

/** Bytes per second in, then out (dimmed); "no data" once when the node sent no traffic figures. */
function NetworkCell({ row }: { row: NodeRow }) {
  if (networkTotal(row) === null) return <>{formatValue(null, 'bytes/s')}</>;
  return (
    <>
      {formatValue(row.networkReceivedBytesPerSecond, 'bytes/s')} in
      <Text span c="dimmed" size="xs">
        {' · '}
        {formatValue(row.networkTransmittedBytesPerSecond, 'bytes/s')} out
      </Text>
    </>
  );
}

/** The link to a node's page: by machine id, which the server looks nodes up by. */
export const nodeLink = (name: string, search: string): string =>
  `/nodes/${encodeURIComponent(name)}?${search}`;

/** The nodes table: sortable headers; the node's name links to its page. */
export function NodesTable({ rows, sort, onSort, search }: Props) {
  const header = { sort, onSort };
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped highlightOnHover aria-label="Nodes">
        <Table.Thead>
          <Table.Tr>
            <SortHeader label="Node" column="name" {...header} />
            <SortHeader label="Status" column="status" {...header} />
            <SortHeader label="CPU" column="cpu" {...header} />
            <SortHeader label="Memory" column="memory" {...header} />
            <SortHeader label="Network" column="network" {...header} />
            <SortHeader label="Containers" column="containers" {...header} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((n) => (
            <Table.Tr key={n.name}>
              <Table.Td>
                <Anchor component={Link} to={nodeLink(n.name, search)} fw={500}>
                  {displayName(n)}
                </Anchor>
                {n.ips.length > 0 && (
                  <Text span c="dimmed" size="xs">
                    {' '}
                    {n.ips.join(', ')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Badge color={n.up ? 'green' : 'red'} variant="light">
                  {n.up ? 'up' : 'down'}
                </Badge>
              </Table.Td>
              <Table.Td>
                {formatValue(n.cpuUsagePercent, '%')}
                {n.cpuCores !== null && (
                  <Text span c="dimmed" size="xs">
                    {' '}
                    of {formatValue(n.cpuCores, 'cores')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {formatValue(n.memoryUsedPercent, '%')}
                {n.memoryTotalBytes !== null && (
                  <Text span c="dimmed" size="xs">
                    {' '}
                    of {formatValue(n.memoryTotalBytes, 'bytes')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <NetworkCell row={n} />
              </Table.Td>
              <Table.Td>{n.instances}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

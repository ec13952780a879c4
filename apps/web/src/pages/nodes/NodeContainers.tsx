import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { latestValue } from '../../components/charts/chart-data.ts';
import { formatValue } from '../../components/charts/format-unit.ts';
import { instanceName } from './node-charts.ts';
import type { NodeContainer } from './node-types.ts';

/** The application page of `appId`, with the same range. */
export const appLink = (appId: string, search: string): string =>
  `/apps/${encodeURIComponent(appId)}?${search}`;

/** The containers and processes running on a node, each linking to its application. */
export function NodeContainers({
  containers,
  search,
}: {
  containers: readonly NodeContainer[];
  search: string;
}) {
  if (containers.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        No containers or processes were seen on this node in this range.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={500}>
      <Table striped aria-label="Containers on this node">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Instance</Table.Th>
            <Table.Th>Application</Table.Th>
            <Table.Th>Category</Table.Th>
            <Table.Th>CPU</Table.Th>
            <Table.Th>Memory RSS</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {containers.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td title={c.id}>{instanceName(c.id)}</Table.Td>
              <Table.Td>
                <Anchor component={Link} to={appLink(c.appId, search)}>
                  {c.appId}
                </Anchor>
              </Table.Td>
              <Table.Td>{c.category}</Table.Td>
              <Table.Td>{formatValue(latestValue({ name: c.id, data: c.cpuCores }), 'cores')}</Table.Td>
              <Table.Td>{formatValue(latestValue({ name: c.id, data: c.memoryRssBytes }), 'bytes')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

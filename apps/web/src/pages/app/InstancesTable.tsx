import { Anchor, Badge, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { InstanceView } from '../../api/types.ts';
import { formatValue } from '../../components/charts/format-unit.ts';

/**
 * An instance's short name, as the report charts name their lines: a Kubernetes container id
 * `/k8s/<namespace>/<pod>/<container>` reads as its pod; any other id as its last part.
 */
export function instanceName(id: string): string {
  const parts = id.split('/').filter((p) => p !== '');
  if (parts[0] === 'k8s' && parts.length >= 4) return parts[2]!;
  return parts[parts.length - 1] ?? id;
}

function List({ items }: { items: readonly string[] }) {
  if (items.length === 0) return <Text c="dimmed">—</Text>;
  return (
    <>
      {items.map((item) => (
        <Text key={item} size="sm" ff="monospace">
          {item}
        </Text>
      ))}
    </>
  );
}

/** The application's instances: where each runs, whether it is up and its last CPU and memory. */
export function InstancesTable({
  instances,
  search,
}: {
  instances: readonly InstanceView[];
  search: string;
}) {
  if (instances.length === 0) return <Text c="dimmed">No instances in this range.</Text>;
  return (
    <Table.ScrollContainer minWidth={700}>
      <Table aria-label="Instances" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Instance</Table.Th>
            <Table.Th>Node</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>CPU</Table.Th>
            <Table.Th>Memory</Table.Th>
            <Table.Th>Images</Table.Th>
            <Table.Th>Listens</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {instances.map((i) => (
            <Table.Tr key={i.id}>
              <Table.Td title={i.id}>{instanceName(i.id)}</Table.Td>
              <Table.Td>
                {i.node ? (
                  <Anchor component={Link} to={`/nodes/${encodeURIComponent(i.node)}?${search}`}>
                    {i.node}
                  </Anchor>
                ) : (
                  <Text c="dimmed">unknown</Text>
                )}
              </Table.Td>
              <Table.Td>
                <Badge color={i.up ? 'green' : 'red'} variant="light">
                  {i.up ? 'up' : 'down'}
                </Badge>
              </Table.Td>
              <Table.Td>{formatValue(i.cpuCores, 'cores')}</Table.Td>
              <Table.Td>{formatValue(i.memoryRssBytes, 'bytes')}</Table.Td>
              <Table.Td>
                <List items={i.images} />
              </Table.Td>
              <Table.Td>
                <List items={i.listens} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

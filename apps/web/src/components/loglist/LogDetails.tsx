import { Anchor, Code, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { LogView } from '@vigil/spec';
import { prettyJsonBody } from './log-record.ts';

function AttributeTable({
  label,
  attributes,
}: {
  label: string;
  attributes: Readonly<Record<string, string>>;
}) {
  const entries = Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return null;
  return (
    <Table aria-label={label} withTableBorder fz="xs" verticalSpacing={2}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w="30%">{label}</Table.Th>
          <Table.Th>Value</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {entries.map(([key, value]) => (
          <Table.Tr key={key}>
            <Table.Td ff="monospace">{key}</Table.Td>
            <Table.Td ff="monospace" style={{ wordBreak: 'break-all' }}>
              {value}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/**
 * An expanded record: the whole body (JSON pretty-printed), its attributes and resource
 * attributes as key/value tables, and a link to its trace when it was logged inside a span.
 */
export function LogDetails({ record }: { record: LogView }) {
  const pretty = prettyJsonBody(record.body);
  return (
    <Stack gap="xs" p="xs" pl="xl">
      <Code block aria-label="Message body" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
        {pretty ?? record.body}
      </Code>
      {record.traceId !== '' && (
        <Text size="sm">
          <Anchor component={Link} to={`/traces?trace=${record.traceId}`}>
            View trace {record.traceId}
          </Anchor>
        </Text>
      )}
      <AttributeTable label="Attributes" attributes={record.attributes} />
      <AttributeTable label="Resource attributes" attributes={record.resourceAttributes} />
    </Stack>
  );
}

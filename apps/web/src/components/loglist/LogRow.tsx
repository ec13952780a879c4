import { memo } from 'react';
import { Group, Text, UnstyledButton } from '@mantine/core';
import type { LogView } from '@vigil/spec';
import { LogDetails } from './LogDetails.tsx';
import { formatLogTime, recordMs, severityName } from './log-record.ts';
import { SeverityBadge } from './SeverityBadge.tsx';

export interface LogRowProps {
  readonly record: LogView;
  readonly expanded: boolean;
  readonly onToggle: (record: LogView) => void;
}

/** One message: a one-line summary that expands into its details when clicked. */
export const LogRow = memo(function LogRow({ record, expanded, onToggle }: LogRowProps) {
  const firstLine = record.body.split('\n', 1)[0] ?? '';
  return (
    <>
      <UnstyledButton
        onClick={() => onToggle(record)}
        aria-expanded={expanded}
        w="100%"
        px="xs"
        py={4}
        style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
      >
        <Group gap="sm" wrap="nowrap">
          <Text size="xs" ff="monospace" c="dimmed" style={{ flexShrink: 0 }}>
            {formatLogTime(recordMs(record))}
          </Text>
          <SeverityBadge name={severityName(record)} />
          <Text size="xs" fw={500} w={140} truncate style={{ flexShrink: 0 }}>
            {record.serviceName}
          </Text>
          <Text size="xs" ff="monospace" truncate>
            {firstLine}
          </Text>
        </Group>
      </UnstyledButton>
      {expanded && <LogDetails record={record} />}
    </>
  );
});

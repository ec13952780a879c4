import { Badge } from '@mantine/core';
import { severityColour } from './log-record.ts';

/** A record's level as a coloured badge (the histogram uses the same colours). */
export function SeverityBadge({ name }: { name: string }) {
  return (
    <Badge color={severityColour(name)} variant="filled" size="sm" w={64} radius="sm">
      {name}
    </Badge>
  );
}

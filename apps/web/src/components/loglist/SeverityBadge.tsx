import { Badge } from '@mantine/core';
import { severityColour } from './log-record.ts';

/**
 * A record's level as a coloured badge (the histogram uses the same colours). Light variant: white
 * on the filled green, yellow or red is below AA contrast; the theme's light-variant text passes.
 */
export function SeverityBadge({ name }: { name: string }) {
  return (
    <Badge color={severityColour(name)} variant="light" size="sm" w={64} radius="sm">
      {name}
    </Badge>
  );
}

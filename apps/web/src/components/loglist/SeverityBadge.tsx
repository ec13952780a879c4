import { Badge } from '@mantine/core';
import { severityBadgeColour } from './log-record.ts';

/**
 * A record's level as a coloured badge, in the histogram's hues. Light variant: white on the filled
 * green, yellow or red is below AA contrast; the theme's light-variant text shades pass.
 */
export function SeverityBadge({ name }: { name: string }) {
  return (
    <Badge color={severityBadgeColour(name)} variant="light" size="sm" w={64} radius="sm">
      {name}
    </Badge>
  );
}

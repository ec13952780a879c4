import { Button, Group } from '@mantine/core';
import { Link } from 'react-router';
import type { TelemetryLinks as Links, TelemetryService } from './telemetry-links.ts';

/** Buttons to the application's logs, traces and profiles; dimmed where none were seen. */
export function TelemetryLinks({ links, seen }: { links: Links; seen: TelemetryService | undefined }) {
  // Until the services list answers (or if it fails), every link looks available.
  const quiet = (signal: 'traces' | 'logs') => seen !== undefined && !seen.signals.has(signal);
  const item = (label: string, to: string, none: boolean) => (
    <Button
      component={Link}
      to={to}
      variant={none ? 'subtle' : 'light'}
      color={none ? 'gray' : undefined}
      size="xs"
      title={none ? `No ${label.toLowerCase()} from ${seen?.service} in this range` : undefined}
    >
      {label}
    </Button>
  );
  return (
    <Group gap="xs" aria-label="Telemetry" role="group">
      {item('Logs', links.logs, quiet('logs'))}
      {item('Traces', links.traces, quiet('traces'))}
      {item('Profiles', links.profiles, false)}
    </Group>
  );
}

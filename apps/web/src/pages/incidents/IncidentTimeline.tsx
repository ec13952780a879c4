import { List, Text } from '@mantine/core';
import { formatTime, reasonText } from './incident-format.ts';
import type { IncidentEvent } from '@vigil/spec';

const WHAT: Record<IncidentEvent['type'], (e: IncidentEvent) => string> = {
  opened: (e) => `Opened as ${e.severity}`,
  severity_changed: (e) => `Severity changed to ${e.severity}`,
  resolved: () => 'Resolved: every burn-rate rule’s short window cooled down',
};

/** What happened, in order: opening, severity changes and resolution, with the rules firing at each. */
export function IncidentTimeline({ events }: { events: readonly IncidentEvent[] }) {
  if (events.length === 0) return <Text c="dimmed">No events were recorded.</Text>;
  return (
    <List type="ordered" spacing="xs" aria-label="Timeline">
      {events.map((e, i) => (
        <List.Item key={`${e.atMs}:${i}`}>
          <Text size="sm" span fw={600}>
            <time dateTime={new Date(e.atMs).toISOString()}>{formatTime(e.atMs)}</time>
          </Text>{' '}
          <Text size="sm" span>
            {WHAT[e.type](e)}
          </Text>
          {e.reasons.length > 0 && (
            <List size="xs" withPadding>
              {e.reasons.map((r) => (
                <List.Item key={`${r.slo}:${r.longWindowMs}`}>{reasonText(r)}</List.Item>
              ))}
            </List>
          )}
        </List.Item>
      ))}
    </List>
  );
}

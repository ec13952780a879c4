import { Code, List, Paper, Text, Title } from '@mantine/core';

/**
 * What the page shows when no log records arrived in the range at all: how to get some. With
 * filters set it only says nothing matched (the filters, not the setup, are the likely cause).
 */
export function LogsEmptyState({ filtered }: { filtered: boolean }) {
  if (filtered)
    return (
      <Text c="dimmed" py="md">
        No messages match these filters in this time range. Widen the range or clear a filter.
      </Text>
    );
  return (
    <Paper withBorder p="lg" role="region" aria-label="No logs yet">
      <Title order={3} size="h4" mb="xs">
        No logs in this time range
      </Title>
      <Text size="sm" mb="xs">
        Vigil stores log records from two sources:
      </Text>
      <List size="sm" spacing="xs">
        <List.Item>
          The <b>node agent</b> collects container and journald logs on every node it runs on, and sends them
          with their pattern counts. Install it on your hosts or as a DaemonSet.
        </List.Item>
        <List.Item>
          Any OpenTelemetry SDK or Collector can send <b>OTLP logs</b> to <Code>/v1/logs</Code> (HTTP,
          protobuf or JSON) or over gRPC, with the header <Code>X-API-Key: &lt;your ingest key&gt;</Code>.
        </List.Item>
      </List>
    </Paper>
  );
}

import { Alert, Code, List, Text } from '@mantine/core';

/** Shown when a search finds nothing: how to get traces into Vigil at all. */
export function TracesEmptyState({ filtered }: { readonly filtered: boolean }) {
  return (
    <Alert title={filtered ? 'No traces match this search' : 'No traces yet'} color="gray">
      {filtered && <Text size="sm">Widen the time range or remove filters. </Text>}
      <Text size="sm">Send traces with any OpenTelemetry SDK or Collector using OTLP:</Text>
      <List size="sm">
        <List.Item>
          HTTP: <Code>http://&lt;vigil-host&gt;:4318/v1/traces</Code>
        </List.Item>
        <List.Item>
          gRPC: <Code>&lt;vigil-host&gt;:4317</Code>
        </List.Item>
        <List.Item>
          with your project&apos;s API key in the <Code>X-API-Key</Code> header, e.g.{' '}
          <Code>OTEL_EXPORTER_OTLP_HEADERS=X-API-Key=&lt;key&gt;</Code>
        </List.Item>
      </List>
    </Alert>
  );
}

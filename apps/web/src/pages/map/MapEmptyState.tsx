import { Alert, Code, Stack, Text } from '@mantine/core';

/** No applications in the range: say how they get here (the node agent, pointed at this server). */
export function MapEmptyState() {
  return (
    <Alert color="blue" title="No applications yet">
      <Stack gap="xs">
        <Text size="sm">
          The map draws the applications Vigil&apos;s node agent discovers and the connections between them.
          Install the agent on each node, with your project&apos;s API key:
        </Text>
        <Code
          block
        >{`VIGIL_COLLECTOR_URL=${window.location.origin} VIGIL_API_KEY=<your project's API key> npm run vigil -- node-agent`}</Code>
        <Text size="sm">
          For Kubernetes (a DaemonSet) or systemd, see deploy/README.md. If the agent already runs, widen the
          time range in the header.
        </Text>
      </Stack>
    </Alert>
  );
}

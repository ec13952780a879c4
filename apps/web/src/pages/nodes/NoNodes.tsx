import { Alert, Code, Stack, Text } from '@mantine/core';

/**
 * The empty nodes page says what to do next: nodes appear when the node agent pushes from them.
 * The collector URL is this page's origin, where the server also accepts the agents' pushes.
 */
export function NoNodes() {
  const origin = window.location.origin;
  return (
    <Alert color="blue" title="No nodes in this range">
      <Stack gap="xs">
        <Text size="sm">
          A node is listed once Vigil&apos;s node agent runs on it. Install the agent on each machine with
          your project&apos;s API key:
        </Text>
        <Code
          block
        >{`VIGIL_COLLECTOR_URL=${origin} VIGIL_API_KEY=<your project's API key> npm run vigil -- node-agent`}</Code>
        <Text size="sm">
          For Kubernetes (a DaemonSet) or a systemd unit, see deploy/README.md in the Vigil repository. Nodes
          show up within a minute of the first push; if an agent already runs, widen the range in the header.
        </Text>
      </Stack>
    </Alert>
  );
}

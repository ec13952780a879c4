import { Alert, Code, Stack, Text } from '@mantine/core';

/**
 * The empty overview says what to do next: install the node agent pointed at this server.
 * The collector URL is this page's origin, where the server also accepts the agents' pushes.
 */
export function NoApplications() {
  const origin = window.location.origin;
  return (
    <Alert color="blue" title="No applications yet">
      <Stack gap="xs">
        <Text size="sm">
          Vigil discovers applications from what its node agent sees. Install the agent on each node you want
          to watch, with your project&apos;s API key:
        </Text>
        <Code
          block
        >{`VIGIL_COLLECTOR_URL=${origin} VIGIL_API_KEY=<your project's API key> npm run vigil -- node-agent`}</Code>
        <Text size="sm">
          For Kubernetes (a DaemonSet) or a systemd unit, see deploy/README.md in the Vigil repository; the
          same two settings apply.
        </Text>
        <Text size="sm">
          Applications appear here within a minute of the agent&apos;s first push. If they do not, check the
          range in the header and the agent&apos;s logs.
        </Text>
      </Stack>
    </Alert>
  );
}

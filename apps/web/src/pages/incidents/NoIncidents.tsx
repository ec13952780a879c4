import { Alert, Code, Stack, Text } from '@mantine/core';

/**
 * The empty incidents page: none in this range, and how incidents come about, so a reader can
 * tell "all is well" from "nothing is measured".
 */
export function NoIncidents({ filtered }: { filtered: boolean }) {
  if (filtered) {
    return (
      <Text c="dimmed">No incident matches this filter in this range. Choose “All” or widen the range.</Text>
    );
  }
  return (
    <Alert color="blue" title="No incidents in this range">
      <Stack gap="xs">
        <Text size="sm">
          An incident opens when an application burns its error budget too fast. Every application has two
          objectives by default: 99% of requests succeed, and 99% are faster than 500 ms, measured on the
          requests the node agent sees it serve.
        </Text>
        <Text size="sm">Change an application&apos;s objectives (as an Editor) with:</Text>
        <Code block>{`PUT /api/v1/apps/<appId>/slo
{"availability": {"objectivePercent": 99.9, "sli": {"kind": "inbound"}}, "latency": null}`}</Code>
        <Text size="sm">
          If you expected an incident here, widen the range in the header, and check that the application
          serves requests the agent can see (its SLO report on the application page says so).
        </Text>
      </Stack>
    </Alert>
  );
}

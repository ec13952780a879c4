/** What the Profiles page says when there is nothing to show, including how to get profiles. */
import type { ReactNode } from 'react';
import { Code, List, Paper, Stack, Text, Title } from '@mantine/core';

/** An empty state with a reason and the two ways profiles reach Vigil. */
export function ProfilesEmptyState({ title }: { title: string }): ReactNode {
  return (
    <Paper withBorder p="lg">
      <Stack gap="xs">
        <Title order={2} fz="lg">
          {title}
        </Title>
        <Text fz="sm">Profiles reach Vigil in two ways:</Text>
        <List fz="sm" spacing={4}>
          <List.Item>
            The <strong>node agent&apos;s eBPF profiler</strong> samples CPU of every process on the node,
            with no change to the application (profile type <Code>ebpf:cpu:nanoseconds</Code>).
          </List.Item>
          <List.Item>
            The <strong>cluster agent&apos;s Go profiling</strong> scrapes <Code>pprof</Code> endpoints of
            pods annotated with <Code>coroot.com/profile-scrape: &quot;true&quot;</Code> and{' '}
            <Code>coroot.com/profile-port</Code> (the port serving <Code>/debug/pprof</Code>); their service
            is named <Code>/k8s/&lt;namespace&gt;/&lt;workload&gt;</Code>.
          </List.Item>
        </List>
        <Text fz="sm" c="dimmed">
          Once either runs, profiles appear here within a minute. Widen the time range if the service was
          quiet.
        </Text>
      </Stack>
    </Paper>
  );
}

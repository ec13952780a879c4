import { Badge, Box, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import type { DeploymentView, TimeGrid } from '../../api/types.ts';
import { formatDuration, formatTime } from '../incidents/incident-format.ts';
import { gridEndMs, summaryText, timelineMarks } from './deployment-timeline.ts';

function StateBadge({ state }: { state: DeploymentView['state'] }) {
  return state === 'done' ? (
    <Badge color="green" variant="light">
      done
    </Badge>
  ) : (
    <Badge color="orange" variant="light">
      in progress
    </Badge>
  );
}

/** The marks over the range; decorative for screen readers, which read the table below. */
function TimelineBar({ deployments, grid }: { deployments: readonly DeploymentView[]; grid: TimeGrid }) {
  const marks = timelineMarks(deployments, grid);
  return (
    <Box aria-hidden="true">
      <Box
        pos="relative"
        h={24}
        style={{ borderRadius: 4, background: 'var(--mantine-color-default-hover)' }}
      >
        {marks.map((m) => (
          <Tooltip
            key={m.deployment.id}
            label={`${m.deployment.image} · ${formatTime(m.deployment.startedAtMs)}`}
            withinPortal
          >
            <Box
              pos="absolute"
              top={2}
              h={20}
              style={{
                left: `${m.leftPercent}%`,
                width: `${m.widthPercent}%`,
                minWidth: 4,
                borderRadius: 3,
                background:
                  m.deployment.state === 'done'
                    ? 'var(--mantine-color-blue-6)'
                    : 'var(--mantine-color-orange-6)',
              }}
            />
          </Tooltip>
        ))}
      </Box>
      <Group justify="space-between" mt={2}>
        <Text size="xs" c="dimmed">
          {formatTime(grid.fromMs)}
        </Text>
        <Text size="xs" c="dimmed">
          {formatTime(gridEndMs(grid))}
        </Text>
      </Group>
    </Box>
  );
}

/** The range's rollouts: a timeline, then one row each with what changed after it. */
export function DeploymentsTimeline({
  deployments,
  grid,
}: {
  deployments: readonly DeploymentView[];
  grid: TimeGrid;
}) {
  if (deployments.length === 0) return <Text c="dimmed">No deployments in this range.</Text>;
  const newestFirst = [...deployments].sort((a, b) => b.startedAtMs - a.startedAtMs);
  return (
    <Stack gap="xs">
      <TimelineBar deployments={deployments} grid={grid} />
      <Table.ScrollContainer minWidth={600}>
        <Table aria-label="Deployments">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Version</Table.Th>
              <Table.Th>Started</Table.Th>
              <Table.Th>Took</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>30 min before → after</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {newestFirst.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {d.image}
                  </Text>
                  <Text size="xs" c="dimmed" ff="monospace">
                    from {d.previousImage}
                  </Text>
                </Table.Td>
                <Table.Td>{formatTime(d.startedAtMs)}</Table.Td>
                <Table.Td>{formatDuration(d.durationMs)}</Table.Td>
                <Table.Td>
                  <StateBadge state={d.state} />
                </Table.Td>
                <Table.Td>
                  {summaryText(d) ?? (
                    <Text size="sm" c="dimmed">
                      {d.state === 'done' ? 'less than 30 minutes after it so far' : 'after it finishes'}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

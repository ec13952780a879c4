import { Alert, Group, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReportView } from '../../api/types.ts';
import { StatusBadge } from '../../app/StatusBadge.tsx';
import { TimeSeriesChart } from '../../components/charts/TimeSeriesChart.tsx';
import { CheckTable } from './CheckTable.tsx';

/**
 * One report: its status, configuration notes, checks, then the charts that justify them.
 *
 * The report's summary is marked `aria-current="true"` and holds the report's only heading: the
 * browser test finds the selected report that way (the chart titles are captions, not headings).
 */
export function ReportPanel({ report }: { report: ReportView }) {
  return (
    <Stack gap="md">
      <Stack gap="xs" aria-current="true">
        <Group gap="sm">
          <Title order={3} size="h4">
            {report.name}
          </Title>
          <StatusBadge status={report.status} />
        </Group>
        {report.noData && <Text size="sm">No data: {report.noData}</Text>}
        {report.notes && report.notes.length > 0 && (
          <Alert color="yellow" title="Configuration">
            <List size="sm">
              {report.notes.map((n) => (
                <List.Item key={n}>{n}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        {report.checks.length > 0 && <CheckTable reportName={report.name} checks={report.checks} />}
      </Stack>
      {report.charts.length > 0 ? (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
          {report.charts.map((c, i) => (
            <TimeSeriesChart key={`${i}:${c.title}`} chart={c} />
          ))}
        </SimpleGrid>
      ) : (
        !report.noData && (
          <Text size="sm" c="dimmed">
            This report draws no charts.
          </Text>
        )
      )}
    </Stack>
  );
}

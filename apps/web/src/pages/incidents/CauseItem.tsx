import { Badge, Group, Paper, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { TimeSeriesChart } from '../../components/charts/TimeSeriesChart.tsx';
import { formatDuration } from './incident-format.ts';
import type { RankedCause } from '@vigil/spec';

/** How the cause's onset relates to the symptom's, from `leadMs` (positive: the cause moved first). */
function leadText(leadMs: number | null): string {
  if (leadMs === null) return 'no clear onset';
  if (leadMs === 0) return 'started with the symptom';
  return leadMs > 0 ? `started ${formatDuration(leadMs)} before` : `started ${formatDuration(-leadMs)} after`;
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;

/**
 * One ranked cause: its rank and title, the explanation, the score and its parts, and its series
 * as evidence with the analysed window shaded.
 */
export function CauseItem({
  cause: c,
  titleOf,
}: {
  cause: RankedCause;
  titleOf: (id: string) => string | undefined;
}) {
  const movesWith = c.explainedBy ? titleOf(c.explainedBy) : undefined;
  const subject = c.instanceId ? `${c.applicationName} (${c.instanceId})` : c.applicationName;
  // Memoised: a new chart object makes the chart rebuild its plot.
  const chart = useMemo(
    () => ({
      title: `Evidence: ${c.title}`,
      unit: c.unit,
      lines: [{ name: subject, data: c.evidence.series }],
    }),
    [c, subject],
  );
  return (
    <Paper
      withBorder
      p="sm"
      component="li"
      style={{ listStyle: 'none' }}
      aria-label={`#${c.rank} ${subject}: ${c.title}`}
    >
      <Group justify="space-between" align="flex-start">
        <Title order={3} size="h5">
          #{c.rank} {subject}: {c.title}
        </Title>
        <Badge variant="light" title="score = anomaly × (0.3 + 0.7 × correlation) × timing">
          score {c.score.toFixed(2)}
        </Badge>
      </Group>
      <Text size="sm" mt={4}>
        {c.explanation}
      </Text>
      <Text size="xs" c="dimmed" mt={4}>
        anomaly {pct(c.parts.anomaly)} · correlation {pct(c.parts.correlation)} · timing {pct(c.parts.timing)}{' '}
        · {leadText(c.parts.leadMs)}
        {c.relay ? ' · relays the fault from upstream' : ''}
        {movesWith ? ` · moves with “${movesWith}” above` : ''}
      </Text>
      <TimeSeriesChart chart={chart} highlight={c.evidence.window} heightPx={140} />
    </Paper>
  );
}

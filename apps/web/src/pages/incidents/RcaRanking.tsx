import { Alert, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import type { ChartJson } from '../../components/charts/chart-types.ts';
import { TimeSeriesChart } from '../../components/charts/TimeSeriesChart.tsx';
import { CauseItem } from './CauseItem.tsx';
import { isRcaResult } from './incident-format.ts';
import type { IncidentDetail } from '@vigil/spec';

/**
 * The root-cause analysis stored with the incident: the symptom, where it was followed upstream,
 * and the ranked causes with their evidence. The symptom is the error rate when availability
 * burnt at the opening, else the latency: the same choice the server's incident loop makes.
 */
export function RcaRanking({ incident }: { incident: IncidentDetail }) {
  const { rca } = incident;
  const errors = incident.timeline[0]?.reasons.some((r) => r.slo === 'availability') ?? false;
  // Memoised: a new chart object makes the chart rebuild its plot.
  const symptom = useMemo<ChartJson | null>(
    () =>
      isRcaResult(rca)
        ? {
            title: errors ? 'Symptom: error rate' : 'Symptom: latency p95',
            unit: errors ? '%' : 's',
            lines: [{ name: incident.appId, data: rca.symptom.series }],
          }
        : null,
    [rca, errors, incident.appId],
  );
  if (rca === null) return <Text c="dimmed">No root-cause analysis was stored with this incident.</Text>;
  if (!isRcaResult(rca)) {
    return (
      <Alert color="yellow" title="The root-cause analysis could not run">
        {rca.error}
      </Alert>
    );
  }
  const titles = new Map(rca.causes.map((c) => [c.id, c.title]));
  return (
    <Stack gap="sm">
      {symptom && <TimeSeriesChart chart={symptom} highlight={rca.window} />}
      {rca.focus && rca.focus.path.length > 1 && (
        <Text size="sm">
          Followed upstream: {rca.focus.path.join(' → ')}. Signals of the applications on the way only relay
          the fault and rank lower.
        </Text>
      )}
      {rca.causes.length === 0 ? (
        <Text c="dimmed">No candidate moved with the symptom: nothing scored above zero.</Text>
      ) : (
        <Stack component="ol" gap="sm" p={0} m={0} aria-label="Ranked causes">
          {rca.causes.map((c) => (
            <CauseItem key={c.id} cause={c} titleOf={(id) => titles.get(id)} />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

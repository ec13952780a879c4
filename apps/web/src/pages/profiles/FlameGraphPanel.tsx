/** The flame graph area of the Profiles page: loading, error, empty and loaded states. */
import type { ReactNode } from 'react';
import { Alert, Group, Loader, Text } from '@mantine/core';
import { FlameGraph } from '../../components/flamegraph/FlameGraph.tsx';
import { unitOf } from '../../components/flamegraph/format-value.ts';
import { isDiffResponse, useFlameGraph, type RangeText } from './profile-queries.ts';
import type { ProfileSelection } from './profile-selection.ts';

export interface FlameGraphPanelProps {
  selection: ProfileSelection;
  type: string;
  range: RangeText;
}

function windowText(fromMs: number, toMs: number): string {
  return `${new Date(fromMs).toLocaleString()} – ${new Date(toMs).toLocaleString()}`;
}

/** Fetches and shows the (diff) flame graph of the selection. */
export function FlameGraphPanel({ selection, type, range }: FlameGraphPanelProps): ReactNode {
  const q = useFlameGraph(selection, type, range);
  if (q.isPending) {
    return (
      <Group role="status" gap="xs">
        <Loader size="sm" aria-hidden />
        <Text fz="sm">Loading flame graph…</Text>
      </Group>
    );
  }
  if (q.isError) {
    return (
      <Alert color="red" title="Could not load the flame graph" role="alert">
        {q.error.message}
      </Alert>
    );
  }
  const data = q.data;
  const diff = isDiffResponse(data);
  const empty = data.flamegraph.total <= 0 && (!diff || data.flamegraph.baseTotal <= 0);
  if (empty) {
    return (
      <Alert color="gray" title="No samples in this window">
        {selection.service} has no {type} samples between {windowText(data.fromMs, data.toMs)}. Try a wider
        time range.
      </Alert>
    );
  }
  return (
    <>
      {diff && (
        <Text fz="sm" c="dimmed">
          Comparing {windowText(data.fromMs, data.toMs)} with the base window{' '}
          {windowText(data.baseFromMs, data.baseToMs)}.
        </Text>
      )}
      {data.truncated && (
        <Alert color="yellow" title="Some stacks were left out">
          The profile has more stacks than the server returns at once; the smallest were merged into the
          root&apos;s total. Narrow the time range to see them.
        </Alert>
      )}
      <FlameGraph root={data.flamegraph} unit={unitOf(type)} />
    </>
  );
}

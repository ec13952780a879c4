import { useEffect } from 'react';
import { Alert, Anchor, Loader, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { TraceView } from '@vigil/spec';
import { apiGet } from '../../api/client.ts';
import { Waterfall } from '../../components/waterfall/Waterfall.tsx';
import { markAfterPaint, markOnce } from './paint-mark.ts';

/** Props of the single-trace view. */
export interface TraceDetailProps {
  readonly traceId: string;
  /** Where "back to results" goes (the search without `trace`). */
  readonly backHref: string;
}

/** One trace as a waterfall, loaded from `GET /api/v1/traces/<id>`. */
export function TraceDetail({ traceId, backHref }: TraceDetailProps) {
  const trace = useQuery({
    queryKey: ['trace', traceId],
    queryFn: async ({ signal }) => {
      const data = await apiGet<TraceView>(`/api/v1/traces/${encodeURIComponent(traceId)}`, {}, signal);
      markOnce('vigil:trace:data');
      return data;
    },
    // A stored trace rarely changes; spans arriving late are picked up on the next visit.
    staleTime: 60_000,
  });
  // Effects run child first, so the waterfall has committed when this one runs.
  useEffect(() => (trace.data ? markAfterPaint('vigil:trace:drawn') : undefined), [trace.data]);
  return (
    <Stack gap="xs">
      <Anchor component={Link} to={backHref}>
        ← Back to results
      </Anchor>
      <Title order={2} style={{ fontFamily: 'monospace', fontSize: 18 }}>
        Trace {traceId}
      </Title>
      {trace.isPending && <Loader aria-label="Loading trace" />}
      {trace.isError && (
        <Alert color="red" title="Could not load the trace">
          {trace.error.message}
        </Alert>
      )}
      {trace.data && <Waterfall trace={trace.data} />}
    </Stack>
  );
}

import { Box, Tabs, VisuallyHidden } from '@mantine/core';
import { useSearchParams } from 'react-router';
import type { ReportView, Status } from '../../api/types.ts';
import { ReportPanel } from './ReportPanel.tsx';
import { selectedReport } from './report-selection.ts';

const DOT_COLOUR: Record<Status, string> = {
  ok: 'var(--mantine-color-green-7)',
  warning: 'var(--mantine-color-orange-7)',
  critical: 'var(--mantine-color-red-7)',
  unknown: 'var(--mantine-color-gray-5)',
};

function StatusDot({ status }: { status: Status }) {
  return (
    <>
      <Box w={8} h={8} style={{ borderRadius: '50%', background: DOT_COLOUR[status] }} aria-hidden="true" />
      <VisuallyHidden>{status}</VisuallyHidden>
    </>
  );
}

/**
 * One tab per report, the selected one in the URL (`?report=Memory`, replacing the history
 * entry so Back still leaves the page). Only the open tab is rendered: each holds several charts.
 */
export function ReportTabs({ reports }: { reports: readonly ReportView[] }) {
  const [params, setParams] = useSearchParams();
  const current = selectedReport(reports, params.get('report'));
  const select = (name: string | null) => {
    if (name === null) return;
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set('report', name);
        return next;
      },
      { replace: true },
    );
  };
  return (
    <Tabs value={current ?? null} onChange={select} keepMounted={false}>
      <Tabs.List aria-label="Reports">
        {reports.map((r) => (
          <Tabs.Tab key={r.name} value={r.name} rightSection={<StatusDot status={r.status} />}>
            {r.name}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {reports.map((r) => (
        <Tabs.Panel key={r.name} value={r.name} pt="md">
          <ReportPanel report={r} />
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}

/**
 * The logs page (issue #8): filters in the URL, a severity histogram with brush-to-zoom, the
 * messages list with live tail, and the patterns view. The shell lazy-loads it at `/logs`.
 */
import { useCallback, useMemo, useState } from 'react';
import { Paper, Stack, Tabs, Title } from '@mantine/core';
import { useSearchParams } from 'react-router';
import type { LogPattern } from '@vigil/spec';
import { ApiErrorAlert } from '../../app/ApiErrorAlert.tsx';
import { PageLoader } from '../../app/PageLoader.tsx';
import { useSetTimeRange, useTimeRange } from '../../app/time-range.ts';
import { SeverityHistogram } from '../../components/histogram/SeverityHistogram.tsx';
import { LogFiltersForm } from '../../components/loglist/LogFiltersForm.tsx';
import {
  patternSearch,
  readLogFilters,
  writeLogFilters,
  type LogFilters,
} from '../../components/loglist/log-filters.ts';
import { PatternsTable } from '../../components/loglist/PatternsTable.tsx';
import { useLogHistogram, useLogPatterns, useLogRecords, useServices } from './log-queries.ts';
import { LogsEmptyState } from './LogsEmptyState.tsx';
import { MessagesPanel } from './MessagesPanel.tsx';

export interface LogsPageProps {
  /** Live tail poll period; tests shorten it. */
  readonly tailIntervalMs?: number;
  /** Height of the messages list (px). */
  readonly listHeight?: number;
}

type View = 'messages' | 'patterns';

/** The logs page. */
export function LogsPage({ tailIntervalMs, listHeight }: LogsPageProps = {}) {
  const [params, setParams] = useSearchParams();
  const range = useTimeRange();
  const setRange = useSetTimeRange();
  const filterKey = writeLogFilters(new URLSearchParams(), readLogFilters(params)).toString();
  // Re-derived only when the filter parameters change, so query keys and callbacks stay stable.
  const filters = useMemo(() => readLogFilters(new URLSearchParams(filterKey)), [filterKey]);
  const view: View = params.get('view') === 'patterns' ? 'patterns' : 'messages';
  const [tail, setTail] = useState(false);

  const records = useLogRecords(range, filters);
  const { fetchNextPage } = records;
  // Scroll events keep coming while a page loads; without `cancelRefetch: false` each would
  // cancel the request in flight and send it again.
  const loadOlder = useCallback(() => void fetchNextPage({ cancelRefetch: false }), [fetchNextPage]);
  const histogram = useLogHistogram(range, filters);
  const patterns = useLogPatterns(range, filters, view === 'patterns');
  const services = useServices(range);

  const applyFilters = (next: LogFilters, nextView: View = view) =>
    setParams((prev) => {
      const p = writeLogFilters(prev, next);
      if (nextView === 'patterns') p.set('view', 'patterns');
      else p.delete('view');
      return p;
    });
  const selectPattern = (p: LogPattern) =>
    applyFilters({ ...filters, search: patternSearch(p.pattern) }, 'messages');
  const setView = (v: string | null) =>
    setParams((prev) => {
      const p = new URLSearchParams(prev);
      if (v === 'patterns') p.set('view', 'patterns');
      else p.delete('view');
      return p;
    });
  // Zooming into a past range ends the tail: new records would fall outside it.
  const zoom = (fromMs: number, toMs: number) => {
    setTail(false);
    setRange(String(fromMs), String(toMs));
  };

  const filtered =
    filters.service !== undefined ||
    filters.severities.length > 0 ||
    filters.search !== undefined ||
    Object.keys(filters.attributes).length > 0;
  const empty = records.data?.records.length === 0 && !tail;

  return (
    <Stack gap="md">
      <Title order={2}>Logs</Title>
      <LogFiltersForm
        key={filterKey}
        initial={filters}
        services={(services.data ?? []).map((s) => s.name)}
        onSubmit={(f) => applyFilters(f)}
      />
      {services.isError && <ApiErrorAlert title="Could not load services" error={services.error} />}
      <Paper withBorder p="xs">
        {histogram.isPending && <PageLoader label="Loading histogram" />}
        {histogram.isError && <ApiErrorAlert title="Could not load the histogram" error={histogram.error} />}
        {histogram.data && (
          <SeverityHistogram
            histogram={histogram.data.histogram}
            fromMs={histogram.data.fromMs}
            toMs={histogram.data.toMs}
            onBrush={zoom}
          />
        )}
      </Paper>
      <Tabs value={view} onChange={setView} keepMounted={false}>
        <Tabs.List aria-label="Log views">
          <Tabs.Tab value="messages">Messages</Tabs.Tab>
          <Tabs.Tab value="patterns">Patterns</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="messages" pt="sm">
          {records.isPending && <PageLoader label="Loading messages" />}
          {records.isError && <ApiErrorAlert title="Could not load messages" error={records.error} />}
          {empty && <LogsEmptyState filtered={filtered} />}
          {records.data && (
            <MessagesPanel
              records={records.data.records}
              filters={filters}
              tail={tail}
              onTailChange={setTail}
              tailIntervalMs={tailIntervalMs}
              listHeight={listHeight}
              hasOlder={records.hasNextPage}
              loadingOlder={records.isFetchingNextPage}
              onLoadOlder={loadOlder}
            />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="patterns" pt="sm">
          {patterns.isPending && <PageLoader label="Loading patterns" />}
          {patterns.isError && <ApiErrorAlert title="Could not load patterns" error={patterns.error} />}
          {patterns.data && <PatternsTable data={patterns.data} onSelect={selectPattern} />}
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

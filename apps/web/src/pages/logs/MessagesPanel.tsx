import { useCallback } from 'react';
import { Group, Switch, Text } from '@mantine/core';
import type { LogView } from '@vigil/spec';
import { ApiErrorAlert } from '../../app/ApiErrorAlert.tsx';
import type { LogFilters } from '../../components/loglist/log-filters.ts';
import { LogList } from '../../components/loglist/LogList.tsx';
import { useLiveTail } from '../../components/loglist/use-live-tail.ts';
import { fetchLogs } from './log-queries.ts';
import { MAX_LOG_RECORDS } from './older-pages.ts';

export interface MessagesPanelProps {
  /** The search's records, oldest first. */
  readonly records: readonly LogView[];
  readonly filters: LogFilters;
  readonly tail: boolean;
  readonly onTailChange: (on: boolean) => void;
  /** Poll period of the live tail (tests shorten it). */
  readonly tailIntervalMs?: number;
  readonly listHeight?: number;
  /** Older records exist beyond those held; `onLoadOlder` fetches them. */
  readonly hasOlder?: boolean;
  readonly loadingOlder?: boolean;
  readonly onLoadOlder?: () => void;
}

/** The messages tab: the live-tail switch, the record count and the virtualised list. */
export function MessagesPanel({
  records,
  filters,
  tail,
  onTailChange,
  tailIntervalMs,
  listHeight,
  hasOlder = false,
  loadingOlder = false,
  onLoadOlder,
}: MessagesPanelProps) {
  const fetchSince = useCallback(
    (fromMs: number, signal: AbortSignal) =>
      // `to` a little past now: a sender's clock running ahead should not hide its newest records.
      fetchLogs(filters, fromMs, Math.max(Date.now(), fromMs) + 1000, signal),
    [filters],
  );
  const live = useLiveTail({
    base: records,
    enabled: tail,
    fetchSince,
    intervalMs: tailIntervalMs,
    cap: MAX_LOG_RECORDS,
  });
  // While tailing the list grows at the bottom only: a new base would restart the tail.
  const canLoadOlder = hasOlder && !tail && !loadingOlder && onLoadOlder !== undefined;
  const olderNote = tail ? '' : loadingOlder ? ', loading older…' : hasOlder ? ', scroll up for older' : '';
  return (
    <>
      <Group justify="space-between" mb="xs">
        <Text size="sm" c="dimmed" aria-live="polite">
          {live.records.length.toLocaleString()} {live.records.length === 1 ? 'message' : 'messages'}
          {tail ? ', tailing' : olderNote}
        </Text>
        <Switch label="Live tail" checked={tail} onChange={(e) => onTailChange(e.currentTarget.checked)} />
      </Group>
      {live.error !== undefined && <ApiErrorAlert title="Live tail failed; retrying" error={live.error} />}
      <LogList
        records={live.records}
        follow={tail}
        height={listHeight}
        onReachStart={canLoadOlder ? onLoadOlder : undefined}
      />
    </>
  );
}

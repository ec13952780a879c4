import { memo } from 'react';
import type { LogView } from '@vigil/spec';
import { LogDetails } from './LogDetails.tsx';
import { formatLogTime, recordMs, severityName } from './log-record.ts';
import { SeverityBadge } from './SeverityBadge.tsx';
import classes from './LogRow.module.css';

/**
 * A collapsed row's height (px; LogRow.module.css sets it), fixed so that measuring a row finds
 * what the list estimated: a difference makes the virtualiser recompute every row's position.
 */
export const LOG_ROW_PX = 29;

export interface LogRowProps {
  readonly record: LogView;
  readonly expanded: boolean;
  readonly onToggle: (record: LogView) => void;
}

/**
 * One message: a one-line summary that expands into its details when clicked.
 *
 * Plain elements with CSS classes rather than Mantine components or inline styles (the severity
 * badge, shared with the patterns table, is the one Mantine component): a fast scroll mounts a
 * new window of rows every frame, and six Mantine components per row (each resolving theme props
 * and setting styles one property at a time) made those frames long tasks (bench/web-logs.ts).
 * Mantine's CSS variables keep the look and the dark mode.
 */
export const LogRow = memo(function LogRow({ record, expanded, onToggle }: LogRowProps) {
  const firstLine = record.body.split('\n', 1)[0] ?? '';
  const level = severityName(record);
  return (
    <>
      <button type="button" className={classes.row} onClick={() => onToggle(record)} aria-expanded={expanded}>
        <span className={classes.time}>{formatLogTime(recordMs(record))}</span>
        <SeverityBadge name={level} />
        <span className={`${classes.cell} ${classes.service}`}>{record.serviceName}</span>
        <span className={`${classes.cell} ${classes.body}`}>{firstLine}</span>
      </button>
      {expanded && <LogDetails record={record} />}
    </>
  );
});
